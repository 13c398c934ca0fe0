package dev.paddock.compare;

import java.util.List;
import java.util.Locale;

/** Small, dependency-free SVG charts: bars with error bars for a comparison, a line for a history. */
public final class SvgChart {
    /** One bar: its label, value and sample standard deviation (0 for none). */
    public record Bar(String label, double value, double sd) {}

    /** One point of a history line. */
    public record Point(String label, double value) {}

    private static final int WIDTH = 640;
    private static final int HEIGHT = 360;
    private static final int LEFT = 70;
    private static final int BOTTOM = 60;
    private static final int TOP = 40;

    private SvgChart() {}

    public static String bars(String title, String unit, List<Bar> bars) {
        double max = bars.stream().mapToDouble(b -> b.value() + b.sd()).max().orElse(1);
        max = max <= 0 ? 1 : max * 1.1;
        int plotW = WIDTH - LEFT - 20;
        int plotH = HEIGHT - TOP - BOTTOM;
        double slot = (double) plotW / Math.max(1, bars.size());
        StringBuilder s = header(title);
        axis(s, max, unit, plotH);
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            double h = b.value() / max * plotH;
            double x = LEFT + i * slot + slot * 0.15;
            double w = slot * 0.7;
            double y = TOP + plotH - h;
            s.append(String.format(Locale.ROOT, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#4e79a7\">"
                    + "<title>%s: %.2f ± %.2f %s</title></rect>%n", x, y, w, h, esc(b.label()), b.value(), b.sd(), esc(unit)));
            if (b.sd() > 0) {
                double cx = x + w / 2;
                double y1 = TOP + plotH - (b.value() + b.sd()) / max * plotH;
                double y2 = TOP + plotH - Math.max(0, b.value() - b.sd()) / max * plotH;
                s.append(String.format(Locale.ROOT, "<line class=\"error\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#222\"/>%n",
                        cx, y1, cx, y2));
            }
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>%n",
                    x + w / 2, HEIGHT - BOTTOM + 16, esc(b.label())));
        }
        return s.append("</svg>\n").toString();
    }

    public static String line(String title, String unit, List<Point> points) {
        double max = points.stream().mapToDouble(Point::value).max().orElse(1);
        max = max <= 0 ? 1 : max * 1.1;
        int plotW = WIDTH - LEFT - 20;
        int plotH = HEIGHT - TOP - BOTTOM;
        StringBuilder s = header(title);
        axis(s, max, unit, plotH);
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < points.size(); i++) {
            double x = LEFT + (points.size() == 1 ? plotW / 2.0 : (double) i * plotW / (points.size() - 1));
            double y = TOP + plotH - points.get(i).value() / max * plotH;
            path.append(i == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", x, y));
            s.append(String.format(Locale.ROOT, "<circle class=\"point\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"#e15759\">"
                    + "<title>%s: %.2f %s</title></circle>%n", x, y, esc(points.get(i).label()), points.get(i).value(), esc(unit)));
        }
        s.append("<path class=\"line\" d=\"").append(path).append("\" fill=\"none\" stroke=\"#e15759\" stroke-width=\"2\"/>\n");
        return s.append("</svg>\n").toString();
    }

    private static StringBuilder header(String title) {
        StringBuilder s = new StringBuilder();
        s.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"sans-serif\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"24\" font-size=\"15\" font-weight=\"bold\">%s</text>%n", LEFT, esc(title)));
        return s;
    }

    private static void axis(StringBuilder s, double max, String unit, int plotH) {
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>%n", LEFT, TOP, LEFT, TOP + plotH));
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>%n", LEFT, TOP + plotH,
                WIDTH - 20, TOP + plotH));
        for (int i = 0; i <= 4; i++) {
            double v = max * i / 4;
            double y = TOP + plotH - (double) plotH * i / 4;
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">%s</text>%n",
                    LEFT - 6, y + 3, String.format(Locale.ROOT, max < 10 ? "%.2f" : "%.0f", v))); // small scales keep their fractions
        }
        s.append(String.format(Locale.ROOT, "<text x=\"12\" y=\"%d\" font-size=\"11\" transform=\"rotate(-90 12 %d)\">%s</text>%n",
                TOP + plotH / 2, TOP + plotH / 2, esc(unit)));
    }

    static String esc(String t) {
        return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
