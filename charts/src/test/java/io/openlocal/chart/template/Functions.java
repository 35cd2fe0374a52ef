package io.openlocal.chart.template;

import io.openlocal.chart.template.Nodes.Operand;
import io.openlocal.chart.template.Nodes.Pos;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Helm and sprig functions the chart may use, with sprig's argument order (the piped value is last):
 * include, required, fail, lookup, toYaml, toJson, indent, nindent, quote, squote, default, empty, printf,
 * print, eq, ne, lt, le, gt, ge, and, or, not, list, dict, index, hasKey, has, len, int, int64, float64,
 * toString, trunc, trim, trimSuffix, trimPrefix, replace, lower, upper, contains, hasPrefix, hasSuffix, join,
 * dir, base, b64enc, b64dec, sha256sum, ternary, genCA, genSignedCert. An unknown function is a parse-time
 * error in Helm, so it is an error here too.
 */
final class Functions {

    /** Marks "no piped value" (null is a real value: nil). */
    static final Object NO_VALUE = new Object() {
        @Override
        public String toString() {
            return "<no piped value>";
        }
    };

    private final TemplateEngine engine;
    private final TemplateEngine.Lookup lookup;

    Functions(TemplateEngine engine, TemplateEngine.Lookup lookup) {
        this.engine = engine;
        this.lookup = lookup;
    }

    Object call(TemplateEngine.Execution execution, Pos pos, String name, List<Operand> operands, Object dot,
            Object piped) {
        // and/or evaluate lazily (Go 1.18+): later arguments are not evaluated once the answer is known.
        if (name.equals("and") || name.equals("or")) {
            int count = operands.size() + (piped == NO_VALUE ? 0 : 1);
            if (count < 1) {
                throw new TemplateException(name + ": wrong number of args");
            }
            Object last = null;
            for (int i = 0; i < count; i++) {
                last = i < operands.size() ? execution.operand(pos, operands.get(i), dot) : piped;
                boolean truth = GoValues.truth(last);
                if (name.equals("and") && !truth || name.equals("or") && truth) {
                    return last;
                }
            }
            return last;
        }
        List<Object> args = new ArrayList<>();
        for (Operand operand : operands) {
            args.add(execution.operand(pos, operand, dot));
        }
        if (piped != NO_VALUE) {
            args.add(piped);
        }
        return apply(execution, name, args);
    }

    private Object apply(TemplateEngine.Execution execution, String name, List<Object> a) {
        return switch (name) {
            case "include" -> {
                arity(name, a, 2);
                yield engine.include(string(name, a.get(0)), a.get(1), execution.depth());
            }
            case "required" -> {
                arity(name, a, 2);
                Object value = a.get(1);
                if (value == null || value instanceof String s && s.isEmpty()) {
                    throw new TemplateException(string(name, a.get(0)));
                }
                yield value;
            }
            case "fail" -> {
                arity(name, a, 1);
                throw new TemplateException(string(name, a.get(0)));
            }
            case "lookup" -> {
                arity(name, a, 4);
                Map<String, Object> found = lookup.find(string(name, a.get(0)), string(name, a.get(1)),
                        string(name, a.get(2)), string(name, a.get(3)));
                yield found == null ? new LinkedHashMap<String, Object>() : found;
            }
            case "toYaml" -> {
                arity(name, a, 1);
                yield Yaml.toYaml(a.get(0));
            }
            case "toJson" -> {
                arity(name, a, 1);
                yield Yaml.toJson(a.get(0));
            }
            case "indent" -> {
                arity(name, a, 2);
                yield indent((int) GoValues.toInt(a.get(0)), GoValues.print(a.get(1)));
            }
            case "nindent" -> {
                arity(name, a, 2);
                yield "\n" + indent((int) GoValues.toInt(a.get(0)), GoValues.print(a.get(1)));
            }
            case "quote", "squote" -> {
                List<String> parts = new ArrayList<>();
                for (Object value : a) {
                    if (value != null) {
                        parts.add(name.equals("quote") ? GoValues.goQuote(GoValues.str(value))
                                : "'" + GoValues.str(value) + "'");
                    }
                }
                yield String.join(" ", parts);
            }
            case "default" -> {
                if (a.isEmpty() || a.size() > 2) {
                    throw new TemplateException("default: wrong number of args");
                }
                yield a.size() == 1 || !GoValues.truth(a.get(1)) ? a.get(0) : a.get(1);
            }
            case "empty" -> {
                arity(name, a, 1);
                yield !GoValues.truth(a.get(0));
            }
            case "printf" -> {
                if (a.isEmpty()) {
                    throw new TemplateException("printf: wrong number of args");
                }
                yield GoFormat.sprintf(string(name, a.get(0)), a.subList(1, a.size()));
            }
            case "print" -> GoFormat.sprint(a);
            case "eq" -> {
                if (a.size() < 2) {
                    throw new TemplateException("eq: missing argument for comparison");
                }
                boolean any = false;
                for (Object other : a.subList(1, a.size())) {
                    any |= GoValues.equal(a.get(0), other);
                }
                yield any;
            }
            case "ne" -> {
                arity(name, a, 2);
                yield !GoValues.equal(a.get(0), a.get(1));
            }
            case "lt" -> compare(name, a) < 0;
            case "le" -> compare(name, a) <= 0;
            case "gt" -> compare(name, a) > 0;
            case "ge" -> compare(name, a) >= 0;
            case "not" -> {
                arity(name, a, 1);
                yield !GoValues.truth(a.get(0));
            }
            case "list" -> new ArrayList<>(a);
            case "dict" -> {
                if (a.size() % 2 != 0) {
                    throw new TemplateException("dict: odd number of arguments");
                }
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < a.size(); i += 2) {
                    map.put(GoValues.str(a.get(i)), a.get(i + 1));
                }
                yield map;
            }
            case "index" -> {
                if (a.isEmpty()) {
                    throw new TemplateException("index: wrong number of args");
                }
                Object value = a.get(0);
                for (Object key : a.subList(1, a.size())) {
                    if (value instanceof Map<?, ?> map) {
                        if (!(key instanceof String)) {
                            throw new TemplateException("index: map key must be a string, not " + GoValues.kind(key));
                        }
                        value = map.get(key);
                    } else if (value instanceof List<?> list) {
                        if (!(key instanceof Long) && !(key instanceof Integer)) {
                            throw new TemplateException("index: slice index must be an integer, not " + GoValues.kind(key));
                        }
                        int i = ((Number) key).intValue();
                        if (i < 0 || i >= list.size()) {
                            throw new TemplateException("index: index out of range: " + i);
                        }
                        value = list.get(i);
                    } else if (value == null) {
                        throw new TemplateException("index of untyped nil");
                    } else {
                        throw new TemplateException("can't index item of type " + GoValues.kind(value));
                    }
                }
                yield value;
            }
            case "hasKey" -> {
                arity(name, a, 2);
                yield a.get(0) instanceof Map<?, ?> map && map.containsKey(GoValues.str(a.get(1)));
            }
            case "has" -> {
                arity(name, a, 2);
                boolean found = false;
                if (a.get(1) instanceof List<?> list) {
                    for (Object item : list) {
                        found |= item != null && GoValues.kind(item).equals(GoValues.kind(a.get(0)))
                                && GoValues.equal(item, a.get(0));
                    }
                }
                yield found;
            }
            case "len" -> {
                arity(name, a, 1);
                Object value = a.get(0);
                if (value instanceof String s) {
                    yield (long) s.getBytes(StandardCharsets.UTF_8).length;
                } else if (value instanceof List<?> l) {
                    yield (long) l.size();
                } else if (value instanceof Map<?, ?> m) {
                    yield (long) m.size();
                }
                throw new TemplateException("len of type " + GoValues.kind(value));
            }
            case "int", "int64" -> {
                arity(name, a, 1);
                yield GoValues.toInt(a.get(0));
            }
            case "float64" -> {
                arity(name, a, 1);
                yield a.get(0) instanceof Number n ? n.doubleValue()
                        : a.get(0) instanceof String s ? parseDouble(s) : 0.0;
            }
            case "toString" -> {
                arity(name, a, 1);
                yield GoValues.str(a.get(0));
            }
            case "trunc" -> {
                arity(name, a, 2);
                String s = GoValues.str(a.get(1));
                long n = GoValues.toInt(a.get(0));
                yield n >= 0 ? s.substring(0, (int) Math.min(n, s.length()))
                        : s.substring((int) Math.max(0, s.length() + n));
            }
            case "trim" -> {
                arity(name, a, 1);
                yield GoValues.str(a.get(0)).strip();
            }
            case "trimSuffix" -> {
                arity(name, a, 2);
                String s = GoValues.str(a.get(1));
                String suffix = GoValues.str(a.get(0));
                yield s.endsWith(suffix) ? s.substring(0, s.length() - suffix.length()) : s;
            }
            case "trimPrefix" -> {
                arity(name, a, 2);
                String s = GoValues.str(a.get(1));
                String prefix = GoValues.str(a.get(0));
                yield s.startsWith(prefix) ? s.substring(prefix.length()) : s;
            }
            case "replace" -> {
                arity(name, a, 3);
                yield GoValues.str(a.get(2)).replace(GoValues.str(a.get(0)), GoValues.str(a.get(1)));
            }
            case "lower" -> GoValues.str(single(name, a)).toLowerCase(java.util.Locale.ROOT);
            case "upper" -> GoValues.str(single(name, a)).toUpperCase(java.util.Locale.ROOT);
            case "contains" -> {
                arity(name, a, 2);
                yield GoValues.str(a.get(1)).contains(GoValues.str(a.get(0)));
            }
            case "hasPrefix" -> {
                arity(name, a, 2);
                yield GoValues.str(a.get(1)).startsWith(GoValues.str(a.get(0)));
            }
            case "hasSuffix" -> {
                arity(name, a, 2);
                yield GoValues.str(a.get(1)).endsWith(GoValues.str(a.get(0)));
            }
            case "join" -> {
                arity(name, a, 2);
                List<String> parts = new ArrayList<>();
                if (a.get(1) instanceof List<?> list) {
                    list.forEach(item -> parts.add(GoValues.str(item)));
                } else {
                    parts.add(GoValues.str(a.get(1)));
                }
                yield String.join(GoValues.str(a.get(0)), parts);
            }
            case "dir" -> pathDir(GoValues.str(single(name, a)));
            case "base" -> pathBase(GoValues.str(single(name, a)));
            case "b64enc" -> Base64.getEncoder().encodeToString(
                    GoValues.str(single(name, a)).getBytes(StandardCharsets.UTF_8));
            case "b64dec" -> new String(Base64.getDecoder().decode(GoValues.str(single(name, a))),
                    StandardCharsets.UTF_8);
            case "sha256sum" -> sha256(GoValues.str(single(name, a)));
            case "ternary" -> {
                arity(name, a, 3);
                yield GoValues.truth(a.get(2)) ? a.get(0) : a.get(1);
            }
            case "genCA" -> {
                arity(name, a, 2);
                yield Certificates.generateCa(string(name, a.get(0)), GoValues.toInt(a.get(1)));
            }
            case "genSignedCert" -> {
                arity(name, a, 5);
                yield Certificates.generateSigned(string(name, a.get(0)), list(name, a.get(1)),
                        list(name, a.get(2)), GoValues.toInt(a.get(3)), a.get(4));
            }
            default -> throw new TemplateException("function \"" + name + "\" not defined");
        };
    }

    private static Object single(String name, List<Object> a) {
        arity(name, a, 1);
        return a.get(0);
    }

    private static int compare(String name, List<Object> a) {
        arity(name, a, 2);
        return GoValues.compare(a.get(0), a.get(1));
    }

    private static void arity(String name, List<Object> a, int expected) {
        if (a.size() != expected) {
            throw new TemplateException(name + ": wrong number of args: want " + expected + ", got " + a.size());
        }
    }

    private static String string(String name, Object value) {
        if (!(value instanceof String s)) {
            throw new TemplateException(name + ": expected a string, got " + GoValues.kind(value));
        }
        return s;
    }

    private static List<?> list(String name, Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof List<?> l)) {
            throw new TemplateException(name + ": expected a list, got " + GoValues.kind(value));
        }
        return l;
    }

    private static double parseDouble(String s) {
        try {
            return Double.parseDouble(s.strip());
        } catch (NumberFormatException e) {
            return 0.0;
        }
    }

    /** sprig indent: every line, including empty ones, gets the pad. */
    static String indent(int spaces, String text) {
        String pad = " ".repeat(Math.max(0, spaces));
        return pad + text.replace("\n", "\n" + pad);
    }

    /** Go's path.Dir. */
    static String pathDir(String path) {
        int slash = path.lastIndexOf('/');
        String dir = slash < 0 ? "" : path.substring(0, slash + 1);
        return clean(dir);
    }

    static String pathBase(String path) {
        if (path.isEmpty()) {
            return ".";
        }
        String trimmed = path.replaceAll("/+$", "");
        if (trimmed.isEmpty()) {
            return "/";
        }
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    private static String clean(String path) {
        if (path.isEmpty()) {
            return ".";
        }
        boolean rooted = path.startsWith("/");
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..") && !parts.isEmpty() && !parts.get(parts.size() - 1).equals("..")) {
                parts.remove(parts.size() - 1);
            } else if (!(part.equals("..") && rooted)) {
                parts.add(part);
            }
        }
        String joined = String.join("/", parts);
        return rooted ? "/" + joined : joined.isEmpty() ? "." : joined;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
