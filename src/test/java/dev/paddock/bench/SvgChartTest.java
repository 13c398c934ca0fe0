package dev.paddock.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.compare.SvgChart;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class SvgChartTest {
    private static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Element> byClass(Document d, String tag, String cls) {
        NodeList nodes = d.getElementsByTagName(tag);
        List<Element> out = new java.util.ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            Element e = (Element) nodes.item(i);
            if (cls.equals(e.getAttribute("class"))) {
                out.add(e);
            }
        }
        return out;
    }

    @Test
    void barsAreWellFormedWithOneBarAndErrorBarPerModelScaledToTheValue() throws Exception {
        String svg = SvgChart.bars("Generation speed", "tokens/s", List.of(new SvgChart.Bar("a<b>", 100, 10), new SvgChart.Bar("b", 50, 0)));

        Document d = parse(svg);
        List<Element> bars = byClass(d, "rect", "bar");
        assertThat(bars).hasSize(2);
        double h0 = Double.parseDouble(bars.get(0).getAttribute("height"));
        double h1 = Double.parseDouble(bars.get(1).getAttribute("height"));
        assertThat(h0 / h1).isCloseTo(2.0, org.assertj.core.data.Offset.offset(0.01)); // heights are rounded to 0.1 px
        assertThat(byClass(d, "line", "error")).hasSize(1);
        assertThat(svg).contains("a&lt;b&gt;");
    }

    @Test
    void aHistoryIsALineThroughEveryPoint() throws Exception {
        Document d = parse(SvgChart.line("history", "tokens/s", List.of(new SvgChart.Point("t1", 10), new SvgChart.Point("t2", 12),
                new SvgChart.Point("t3", 11))));

        assertThat(byClass(d, "circle", "point")).hasSize(3);
        assertThat(byClass(d, "path", "line").getFirst().getAttribute("d")).startsWith("M").contains(" L");
    }
}
