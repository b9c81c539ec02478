"""Input specifications for the diagrams and charts."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

ChainKey = Literal["input", "activity", "output", "outcome", "overall"]
PdcaKey = Literal["P", "D", "C", "A"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class ChainItem(_Frozen):
    text: str
    # A short warning shown on the item (e.g. 「全區總量」), drawn in a warning colour.
    flag: str | None = None


class ChainColumn(_Frozen):
    key: ChainKey
    heading: str
    items: list[ChainItem] = Field(default_factory=list)
    # A note drawn in an empty dashed red box when the column has a gap (e.g. 「缺計畫成果指標」).
    missing: str | None = None


class LogicChainSpec(_Frozen):
    """Columns drawn left to right with an arrow between consecutive columns."""

    title: str
    columns: list[ChainColumn] = Field(min_length=1)


class PdcaStage(_Frozen):
    key: PdcaKey
    heading: str
    text: str


class PdcaSpec(_Frozen):
    title: str
    stages: list[PdcaStage]
    centre: str = ""

    @model_validator(mode="after")
    def _one_stage_per_key(self) -> PdcaSpec:
        keys = sorted(stage.key for stage in self.stages)
        if len(self.stages) != 4 or keys != sorted(("P", "D", "C", "A")):
            raise ValueError(f"a PDCA cycle needs exactly the four stages P, D, C and A, got {keys}")
        return self


class BarSeries(_Frozen):
    label: str
    # None marks a missing value (e.g. no actual reported yet); it is left out of the chart.
    values: list[float | None]


class BarChartSpec(_Frozen):
    title: str
    categories: list[str]
    series: list[BarSeries]
    stacked: bool = False
    horizontal: bool = False
    value_suffix: str = ""
    # One CSS colour per series, in order (a severity's or a level's own colour); empty: the default palette.
    colors: tuple[str, ...] = ()
    # Shown when no series has a value; callers pass it translated, the default is language-neutral.
    no_data_text: str = "—"

    @model_validator(mode="after")
    def _one_value_per_category(self) -> BarChartSpec:
        for series in self.series:
            if len(series.values) != len(self.categories):
                raise ValueError(
                    f"series {series.label!r} has {len(series.values)} values for {len(self.categories)} categories"
                )
        return self
