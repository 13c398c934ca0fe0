package dev.paddock.cli;

import dev.paddock.gguf.GgmlType;
import dev.paddock.gguf.GgufFacts;
import dev.paddock.gguf.GgufFile;
import dev.paddock.gguf.GgufValue;
import dev.paddock.gguf.TensorInfo;
import dev.paddock.model.ModelName;
import dev.paddock.store.ModelStore;
import dev.paddock.store.StoredModel;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "show", description = "Show a model's facts, read from its GGUF header.")
final class ShowCommand implements Callable<Integer> {
    @ParentCommand PaddockCommand root;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "The model (family:tag).")
    String name;

    @Option(names = "--metadata", description = "Also list every metadata key (long arrays shortened).")
    boolean metadata;

    @Option(names = "--tensors", description = "Also list the tensor table.")
    boolean tensors;

    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    @Override
    public Integer call() {
        ModelStore.Details d = root.paddock().store().show(ModelName.parse(name));
        GgufFile file = d.file();
        GgufFacts facts = file.facts();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("model", ModelJson.of(d.model()));
            doc.put("ggufVersion", file.version());
            doc.put("facts", facts);
            if (metadata) {
                Map<String, Object> meta = new LinkedHashMap<>();
                file.metadata().forEach((k, v) -> meta.put(k, MetadataText.json(v)));
                doc.put("metadata", meta);
            }
            if (tensors) {
                doc.put("tensors", file.tensors().stream().map(t -> Map.of("name", t.name(), "shape", t.shape(),
                        "type", t.type().name(), "offset", t.offset(), "sizeBytes", t.sizeBytes())).toList());
            }
            Json.print(out, doc);
            return 0;
        }
        printFacts(out, d.model(), file, facts);
        if (metadata) {
            out.println();
            Table t = new Table("KEY", "TYPE", "VALUE");
            file.metadata().forEach((k, v) -> t.row(k, MetadataText.type(v), MetadataText.text(v)));
            t.print(out);
        }
        if (tensors) {
            out.println();
            Table t = new Table("TENSOR", "SHAPE", "TYPE", "SIZE", "OFFSET").right(3, 4);
            for (TensorInfo ti : file.tensors()) {
                t.row(ti.name(), ti.shape().stream().map(String::valueOf).collect(Collectors.joining(" x ")), ti.type(),
                        Format.bytes(ti.sizeBytes()), ti.offset());
            }
            t.print(out);
        }
        return 0;
    }

    private static void printFacts(PrintWriter out, StoredModel m, GgufFile file, GgufFacts f) {
        Table t = new Table("", "");
        t.row("name", m.name());
        t.row("digest", m.digest());
        t.row("size", Format.bytes(m.sizeBytes()) + " (" + m.sizeBytes() + " bytes)");
        t.row("format", "GGUF v" + file.version());
        t.row("architecture", f.architecture());
        t.row("parameters", Format.count(f.parameterCount()) + " (" + f.parameterCount() + ")");
        t.row("quantization", f.quantization());
        t.row("context length", f.contextLength());
        t.row("layers", f.blockCount());
        t.row("embedding length", f.embeddingLength());
        t.row("feed-forward length", f.feedForwardLength());
        t.row("attention heads", f.headCount() == null ? null : f.headCount() + " (" + f.headCountKv() + " KV)");
        t.row("head dimension", f.keyLength() == null ? null : f.keyLength() + " key, " + f.valueLength() + " value");
        t.row("vocabulary", f.vocabSize());
        t.row("bos / eos token", f.bosTokenId() + " / " + f.eosTokenId());
        t.row("chat template", f.chatTemplate() == null ? "none" : f.chatTemplate().length() + " characters");
        t.row("vision projector", m.projector() == null ? "none (text only)" : Format.bytes(m.projector().sizeBytes()) + ", "
                + m.projector().digest().shortHex());
        t.row("weights by type", f.bytesByType().entrySet().stream()
                .sorted(Map.Entry.<GgmlType, Long>comparingByValue(Comparator.reverseOrder()))
                .map(e -> e.getKey() + " " + Format.bytes(e.getValue()))
                .collect(Collectors.joining(", ")));
        t.row("header", Format.bytes(file.dataOffset()) + ", " + file.tensors().size() + " tensors, "
                + file.metadata().size() + " metadata keys");
        t.row("added", m.addedAt());
        t.row("source", m.source());
        t.printRows(out);
    }

    /** How metadata values read in a table and in JSON. */
    static final class MetadataText {
        private MetadataText() {}

        static String type(GgufValue v) {
            return v instanceof GgufValue.Array a ? a.elementType().name().toLowerCase() + "[" + a.count() + "]"
                    : v.type().name().toLowerCase();
        }

        static String text(GgufValue v) {
            return switch (v) {
                case GgufValue.Str s -> quoted(s.value(), 80);
                case GgufValue.Array a -> a.elements().stream().limit(8).map(MetadataText::text)
                        .collect(Collectors.joining(", ", "[", a.count() > Math.min(8, a.elements().size())
                                ? ", … " + (a.count() - Math.min(8, a.elements().size())) + " more]" : "]"));
                default -> String.valueOf(v.plain());
            };
        }

        static Object json(GgufValue v) {
            if (v instanceof GgufValue.Array a) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("type", a.elementType().name().toLowerCase());
                m.put("count", a.count());
                m.put("elements", a.elements().stream().map(MetadataText::json).toList());
                m.put("complete", a.complete());
                return m;
            }
            return v.plain();
        }

        private static String quoted(String s, int max) {
            String oneLine = s.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
            return "\"" + (oneLine.length() > max ? oneLine.substring(0, max) + "…" : oneLine) + "\"";
        }
    }
}
