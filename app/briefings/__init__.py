"""Briefing packs for trainers: from a theme (a category, a driving factor, a KPI rule, free text or picked
cases) to rules in brief, comparable cases, a KPI logic chain, the PDCA cycle, an exercise with its answers
and discussion questions, exported as a print page, browser slides, a .pptx deck, a PDF and Markdown."""
