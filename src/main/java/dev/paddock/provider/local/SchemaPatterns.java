package dev.paddock.provider.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paddock.error.PaddockException;
import dev.paddock.provider.ChatRequest;
import dev.paddock.provider.ResponseFormat;
import dev.paddock.provider.Tool;
import dev.paddock.provider.ToolUse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code pattern}s of a request's JSON schemas (its {@code response_format} and its tools' parameters) put in the
 * regular expressions llama.cpp's grammars take. llama.cpp (de3ff81) turns a pattern it cannot express into "any string"
 * with only a warning in its log, which would drop the constraint silently; that includes every pattern not anchored with
 * {@code ^…$} and the classes {@code \d}, {@code \w}, {@code \s}. So unanchored patterns are anchored ({@code ^.*(?:P).*$}, the
 * dots any character a JSON string holds unescaped), those classes and escaped punctuation are written out, and what has no
 * grammar at all (lookaround, backreferences, word boundaries, named groups, flags) is a 400 that names the pattern.
 */
final class SchemaPatterns {
    /** Keywords whose values are data, not schemas: a "pattern" inside them is not one. */
    private static final Set<String> DATA = Set.of("const", "enum", "default", "examples", "example", "description", "title");
    private static final Map<Character, String> OUTSIDE = Map.of('d', "[0-9]", 'D', "[^0-9]", 'w', "[a-zA-Z0-9_]",
            'W', "[^a-zA-Z0-9_]", 's', "[ \\t\\n\\r\\x0C\\x0B]", 'S', "[^ \\t\\n\\r\\x0C\\x0B]");
    private static final Map<Character, String> INSIDE = Map.of('d', "0-9", 'w', "a-zA-Z0-9_", 's', " \\t\\n\\r\\x0C\\x0B");
    /** Escapes llama.cpp reads itself (hex escapes are checked apart): {@code \t \r \n \\ \" \[ \] \-}. */
    private static final String NATIVE = "trn\\\"[]-";
    /** Escaped characters llama.cpp reads as themselves outside a class. */
    private static final String LITERAL = "^$.[]()|{}*+?";

    /**
     * What may come before and after an unanchored pattern's match: any characters a JSON string holds as they are (llama.cpp
     * writes a pattern's characters into the string unescaped, so a quote, a backslash or a control character would break it).
     */
    private static final String ANY = "[^\\x22\\x5C\\x00-\\x1F]*";
    private static final java.util.regex.Pattern QUANTIFIER = java.util.regex.Pattern.compile("\\{(\\d+|\\d*,\\d*)}");

    private SchemaPatterns() {
    }

    /** The request with its schemas' patterns in llama.cpp's terms, itself when it has none; a 400 for one without a grammar. */
    static ChatRequest forLlamaCpp(ChatRequest request) {
        ResponseFormat format = request.responseFormat();
        ResponseFormat newFormat = format;
        if (format != null && format.hasSchema()) {
            JsonNode schema = rewritten(format.schema(), "response_format.json_schema.schema");
            newFormat = schema == format.schema() ? format : new ResponseFormat(format.type(), format.name(), schema, format.strict());
        }
        ToolUse tools = request.tools();
        ToolUse newTools = tools;
        if (tools != null) {
            List<Tool> list = new ArrayList<>();
            boolean changed = false;
            for (Tool t : tools.tools()) {
                JsonNode params = t.parameters() == null ? null : rewritten(t.parameters(), "the parameters of tool " + t.name());
                changed |= params != t.parameters();
                list.add(params == t.parameters() ? t : new Tool(t.name(), t.description(), params, t.strict()));
            }
            newTools = changed ? new ToolUse(list, tools.choice(), tools.function(), tools.parallel()) : tools;
        }
        return newFormat == format && newTools == tools ? request : request.withShapes(newTools, newFormat);
    }

    /** The schema itself when no pattern changes, else a copy with the patterns rewritten. */
    private static JsonNode rewritten(JsonNode schema, String where) {
        JsonNode copy = schema.deepCopy();
        return rewrite(copy, where) ? copy : schema;
    }

    private static boolean rewrite(JsonNode node, String where) {
        boolean changed = false;
        if (node.isObject()) {
            ObjectNode o = (ObjectNode) node;
            for (var field : o.properties()) {
                String key = field.getKey();
                JsonNode value = field.getValue();
                if (key.equals("pattern") && value.isTextual()) {
                    String p = translate(value.asText(), where);
                    if (!p.equals(value.asText())) {
                        o.put("pattern", p);
                        changed = true;
                    }
                } else if (!DATA.contains(key)) {
                    changed |= rewrite(value, where);
                }
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                changed |= rewrite(item, where);
            }
        }
        return changed;
    }

    /** A pattern as llama.cpp's grammars take it: anchored, its shorthand classes written out. */
    static String translate(String pattern, String where) {
        boolean start = pattern.startsWith("^");
        boolean end = pattern.endsWith("$") && !escaped(pattern, pattern.length() - 1) && pattern.length() > (start ? 1 : 0);
        String core = pattern.substring(start ? 1 : 0, end ? pattern.length() - 1 : pattern.length());
        StringBuilder out = new StringBuilder("^");
        boolean wrap = (!start || !end) && !core.isEmpty();
        out.append(start ? "" : ANY).append(wrap ? "(?:" : "");
        boolean inClass = false;
        for (int i = 0; i < core.length(); i++) {
            char c = core.charAt(i);
            if (c == '\\') {
                if (i + 1 >= core.length()) {
                    throw refused(pattern, where, "it ends with a lone backslash");
                }
                char e = core.charAt(++i);
                i = escape(core, i, e, inClass, out, pattern, where);
            } else if (inClass) {
                inClass = c != ']';
                out.append(c);
            } else if (c == '[') {
                inClass = true;
                out.append(c);
                if (i + 1 < core.length() && core.charAt(i + 1) == '^') {
                    out.append('^');
                    i++;
                }
                if (i + 1 < core.length() && core.charAt(i + 1) == ']') { // a leading "]" is a character, not the class's end
                    out.append("\\]");
                    i++;
                }
            } else if (c == '(' && core.startsWith("(?", i) && !core.startsWith("(?:", i)) {
                throw refused(pattern, where, "it has a lookaround, a named group or inline flags");
            } else if (c == '{' || c == '}' || c == ']') {
                var quantifier = QUANTIFIER.matcher(core).region(i, core.length());
                if (c == '{' && quantifier.lookingAt()) {
                    out.append(quantifier.group());
                    i = quantifier.end() - 1;
                } else {
                    out.append(hex(c)); // not a quantifier: the character itself, as in JavaScript
                }
            } else if (c == '^' || c == '$') {
                throw refused(pattern, where, "it has an anchor inside it (only one ^ at its start and one $ at its end)");
            } else {
                out.append(c);
            }
        }
        return out.append(wrap ? ")" : "").append(end ? "" : ANY).append('$').toString();
    }

    /** Writes the escape {@code \e} at {@code core[i]}; the index of its last character. */
    private static int escape(String core, int i, char e, boolean inClass, StringBuilder out, String pattern, String where) {
        String shorthand = (inClass ? INSIDE : OUTSIDE).get(e);
        if (shorthand != null) {
            out.append(shorthand);
        } else if (NATIVE.indexOf(e) >= 0 || (!inClass && LITERAL.indexOf(e) >= 0)) {
            out.append('\\').append(e);
        } else if (e == 'x' || e == 'u') {
            int digits = e == 'x' ? 2 : 4;
            if (i + digits >= core.length() || !core.substring(i + 1, i + 1 + digits).matches("[0-9a-fA-F]+")) {
                throw refused(pattern, where, "its \\" + e + " escape needs " + digits + " hex digits");
            }
            out.append('\\').append(core, i, i + 1 + digits);
            return i + digits;
        } else if (e == 'f' || e == 'v') {
            out.append(e == 'f' ? "\\x0C" : "\\x0B");
        } else if (e < 128 && !Character.isLetterOrDigit(e)) {
            out.append(hex(e)); // escaped punctuation: the character itself
        } else {
            throw refused(pattern, where, "it has \\" + e + (inClass && "DWS".indexOf(e) >= 0 ? " inside a character class"
                    : " (a word boundary, backreference, property or other escape)") + ", which no grammar expresses");
        }
        return i;
    }

    private static String hex(char c) {
        return String.format("\\x%02X", (int) c);
    }

    private static boolean escaped(String s, int at) {
        int slashes = 0;
        for (int i = at - 1; i >= 0 && s.charAt(i) == '\\'; i--) {
            slashes++;
        }
        return slashes % 2 == 1;
    }

    private static PaddockException refused(String pattern, String where, String why) {
        String shown = pattern.length() > 80 ? pattern.substring(0, 77) + "..." : pattern;
        return PaddockException.invalidInput("the pattern \"" + shown + "\" in " + where + " cannot be enforced by a local model's"
                + " grammar: " + why + "; use a pattern without it, or leave the pattern out");
    }
}
