// After a briefing is built, bring the result into view (the form stays above it for edits).
document.getElementById("briefing-result")?.scrollIntoView({ block: "start" });
