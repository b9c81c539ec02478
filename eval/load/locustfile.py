"""The load mix (locust): practitioners asking and chatting, searches, reviewers' critiques.

Questions come from eval/retrieval_dev.yaml (the dev set, never a blind one) and eval/offtopic.yaml, so
answers and refusals both happen as they do in use; plans are KPI lines of the shapes real plans use.
Run through eval/load/run_load.py, which starts the server, samples its memory and writes the figures.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import yaml
from locust import HttpUser, between, task

EVAL = Path(__file__).resolve().parent.parent
QUESTIONS = [
    item["question"] for item in yaml.safe_load((EVAL / "retrieval_dev.yaml").read_text(encoding="utf-8"))
]
OFF_TOPIC = [
    item["question"] for item in yaml.safe_load((EVAL / "offtopic.yaml").read_text(encoding="utf-8"))
]
PLANS = [
    ["遊客滿意度達90%", "年觀光人次由12萬提升至15萬（2027年）", "辦理工作坊10場"],
    ["青年返鄉創業家數：5家/年", "老屋修繕10棟", "地方品牌商品營業額年增20%"],
    ["目標：移居人口 30人（2026）", "社區參與人次提升", "空店鋪活化率由10%提高到40%"],
]


class Practitioner(HttpUser):
    wait_time = between(0.5, 2.0)

    def _question(self) -> str:
        return random.choice(OFF_TOPIC) if random.random() < 0.2 else random.choice(QUESTIONS)

    @task(4)
    def ask(self) -> None:
        self.client.post("/api/ask", json={"question": self._question()}, name="ask")

    @task(2)
    def chat(self) -> None:
        with self.client.post(
            "/api/chat", json={"question": self._question()}, name="chat", stream=True, catch_response=True
        ) as response:
            body = response.content.decode("utf-8", "replace")  # the whole stream, as a browser reads it
            if "event: done" not in body:
                response.failure("stream ended without a done event")

    @task(4)
    def search(self) -> None:
        self.client.post("/api/search", json={"query": random.choice(QUESTIONS), "k": 5}, name="search")

    @task(3)
    def critique(self) -> None:
        self.client.post("/api/critique", data=json.dumps({"kpis": random.choice(PLANS)}),
                         headers={"Content-Type": "application/json"}, name="critique")  # fmt: skip
