package dev.paddock.server;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * JSON Schemas of the records the API answers with, read off their components as Jackson writes them: each record a
 * named schema under {@code components/schemas}, referred to by {@code $ref}; a free-form JSON value is {@code {}}.
 */
final class JsonSchemas {
    private final Map<String, Object> named = new LinkedHashMap<>();

    /** Every named schema made so far, for the document's components. */
    Map<String, Object> components() {
        return named;
    }

    /**
     * An answer made of a map rather than a record, as a mini-signature ({@code {model: StoredModel, unchanged: boolean}}):
     * its field types are those of {@link #body}, or the simple name of one of {@code refs} for that record's schema.
     */
    record Shape(String signature, Map<String, Type> refs) implements Type {
        static Shape of(String signature, Class<?>... refs) {
            Map<String, Type> byName = new LinkedHashMap<>();
            for (Class<?> c : refs) {
                byName.put(c.getSimpleName(), c);
            }
            return new Shape(signature, byName);
        }
    }

    /** A response body's schema; a mini-signature body ({@code {name: string, replace?: boolean}}) is parsed by {@link #body}. */
    Map<String, Object> of(Type type) {
        if (type instanceof Shape s) {
            String sig = s.signature().strip();
            return sig.endsWith("[]") ? Map.of("type", "array", "items", shape(sig.substring(0, sig.length() - 2), s.refs(), true))
                    : shape(sig, s.refs(), true);
        }
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            Type[] args = p.getActualTypeArguments();
            if (Collection.class.isAssignableFrom(raw)) {
                return Map.of("type", "array", "items", of(args[0]));
            }
            if (Map.class.isAssignableFrom(raw)) {
                return Map.of("type", "object", "additionalProperties", of(args[1]));
            }
            if (raw == Optional.class) {
                return of(args[0]);
            }
            return of(raw);
        }
        if (type instanceof GenericArrayType g) {
            return Map.of("type", "array", "items", of(g.getGenericComponentType()));
        }
        Class<?> c = (Class<?>) type;
        if (c.isArray()) {
            return Map.of("type", "array", "items", of(c.getComponentType()));
        }
        if (c == String.class || c == char.class || c == Character.class || java.nio.file.Path.class.isAssignableFrom(c)
                || c == java.net.URI.class || c == dev.paddock.model.ModelName.class || c == dev.paddock.model.Digest.class) { // written as text
            return Map.of("type", "string");
        }
        if (c == java.time.Instant.class) {
            return Map.of("type", "string", "format", "date-time");
        }
        if (c == java.time.LocalDate.class) {
            return Map.of("type", "string", "format", "date");
        }
        if (c == java.time.Duration.class) {
            return Map.of("type", "string", "description", "an ISO-8601 duration");
        }
        if (c == boolean.class || c == Boolean.class) {
            return Map.of("type", "boolean");
        }
        if (c == int.class || c == long.class || c == short.class || c == Integer.class || c == Long.class || c == Short.class) {
            return Map.of("type", "integer");
        }
        if (c == double.class || c == float.class || c == Double.class || c == Float.class || Number.class.isAssignableFrom(c)) {
            return Map.of("type", "number");
        }
        if (c.isEnum()) {
            List<String> values = new ArrayList<>();
            for (Object v : c.getEnumConstants()) {
                values.add(v.toString());
            }
            return Map.of("type", "string", "enum", values);
        }
        if (c.isRecord()) {
            String name = name(c);
            if (!named.containsKey(name)) {
                named.put(name, Map.of()); // a placeholder: a record that holds itself refers to its name
                Map<String, Object> properties = new LinkedHashMap<>();
                for (RecordComponent rc : c.getRecordComponents()) {
                    Map<String, Object> schema = of(rc.getGenericType());
                    properties.put(rc.getName(), rc.getType().isPrimitive() ? schema : nullable(schema)); // a reference may be null
                }
                named.put(name, Map.of("type", "object", "properties", properties));
            }
            return Map.of("$ref", "#/components/schemas/" + name);
        }
        return Map.of(); // free-form: JsonNode, Object
    }

    /** The fields of a signature's braces, split at the commas outside nested braces. */
    private static List<String> topLevel(String fields) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int from = 0;
        for (int i = 0; i < fields.length(); i++) {
            char c = fields.charAt(i);
            depth += c == '{' ? 1 : c == '}' ? -1 : 0;
            if (c == ',' && depth == 0) {
                out.add(fields.substring(from, i));
                from = i + 1;
            }
        }
        out.add(fields.substring(from));
        return out;
    }

    /**
     * One field's type: a nested {@code {…}} signature, a record of {@code refs} by its simple name, {@code any} for
     * free-form JSON, else a JSON type or an enum.
     */
    private Map<String, Object> fieldType(String type, Map<String, Type> refs, boolean answer) {
        if (type.startsWith("{")) {
            return shape(type, refs, answer);
        }
        if (refs.containsKey(type)) {
            return of(refs.get(type));
        }
        if (type.equals("any")) {
            return Map.of();
        }
        return type.contains("|") ? Map.of("type", "string", "enum", List.of(type.split("\\|"))) : Map.of("type", type);
    }

    /** The schema, or JSON null (OpenAPI 3.1: a list of types, or anyOf beside a $ref); free-form stays free-form. */
    static Map<String, Object> nullable(Map<String, Object> schema) {
        if (schema.isEmpty()) {
            return schema;
        }
        if (schema.get("type") instanceof String t && !schema.containsKey("enum")) {
            Map<String, Object> out = new LinkedHashMap<>(schema);
            out.put("type", List.of(t, "null"));
            return out;
        }
        return Map.of("anyOf", List.of(schema, Map.of("type", "null")));
    }

    /** {@code HardwareReport}, {@code FitPlan.Gpu} as {@code FitPlanGpu}: unique enough, and readable. */
    private static String name(Class<?> c) {
        return c.getEnclosingClass() == null ? c.getSimpleName() : name(c.getEnclosingClass()) + c.getSimpleName();
    }

    /**
     * A request body's schema from its mini-signature, {@code {source: string, name?: string, replace?: boolean}}: each
     * field with its type (string, integer, number, boolean, object, and any of them with [] for a list), the ones
     * without ? required. A body described in words is an object of that description.
     */
    static Map<String, Object> body(String signature) {
        return new JsonSchemas().shape(signature, Map.of(), false);
    }

    private Map<String, Object> shape(String signature, Map<String, Type> refs, boolean answer) {
        String s = signature.strip();
        if (!s.matches("\\{\\s*[a-zA-Z_]+\\??\\s*:.*}")) {
            return Map.of("type", "object", "description", signature);
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (String field : topLevel(s.substring(1, s.length() - 1))) {
            String[] kv = field.split(":", 2);
            String name = kv[0].strip();
            String type = kv.length > 1 ? kv[1].strip() : "string";
            boolean optional = name.endsWith("?");
            name = optional ? name.substring(0, name.length() - 1) : name;
            Map<String, Object> schema = type.endsWith("[]") ? Map.of("type", "array", "items", fieldType(type.substring(0, type.length() - 2), refs, answer))
                    : fieldType(type, refs, answer);
            properties.put(name, optional && answer ? nullable(schema) : schema); // an answer's optional field may be null
            if (!optional) {
                required.add(name);
            }
        }
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", properties);
        if (!required.isEmpty()) {
            schema.put("required", required);
        }
        return schema;
    }
}
