package dev.paddock.compare;

import dev.paddock.bench.SpeedSummary;

/**
 * One model in a comparison: its latest speed figures, its memory (the runner's peak RSS, or what a remote
 * provider reports for the loaded model) and GPU memory (NVIDIA compute apps, or Ollama's size_vram), its latest quality score
 * (passed over graded), its list price (USD per 1M input / output tokens; null: local or unknown), and how
 * much of its context a benchmark request used (0–1; green under 50%, orange to 80%, red above).
 */
public record ComparisonRow(String model, SpeedSummary speed, Long peakRssBytes, Double quality, Double inputPrice,
        Double outputPrice, Double contextUse, Long gpuMemoryBytes) {

    public String contextColour() {
        if (contextUse == null) {
            return null;
        }
        return contextUse < 0.5 ? "green" : contextUse <= 0.8 ? "orange" : "red";
    }
}
