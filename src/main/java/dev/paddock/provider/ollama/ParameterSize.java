package dev.paddock.provider.ollama;

/** Ollama's parameter sizes ("3.2B", "137M", "7B") as counts. */
final class ParameterSize {
    private ParameterSize() {}

    static Long parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.strip().toUpperCase(java.util.Locale.ROOT);
        double scale = switch (t.charAt(t.length() - 1)) {
            case 'K' -> 1e3;
            case 'M' -> 1e6;
            case 'B' -> 1e9;
            case 'T' -> 1e12;
            default -> 1;
        };
        try {
            String number = scale == 1 ? t : t.substring(0, t.length() - 1);
            return Math.round(Double.parseDouble(number) * scale);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
