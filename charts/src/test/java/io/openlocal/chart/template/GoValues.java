package io.openlocal.chart.template;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Go and Helm value semantics the chart depends on: truth (empty is false), printing (Helm prints a missing
 * value as empty text, and float64 the way fmt's %v does, e.g. 1e+06), and eq/lt comparisons that refuse to
 * compare an integer with a float as Go's text/template does. Values from values.yaml are float64 in Helm,
 * so numbers from YAML are Doubles here and literals in templates are Longs.
 */
final class GoValues {

    private GoValues() {
    }

    static boolean truth(Object value) {
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String s) {
            return !s.isEmpty();
        }
        if (value instanceof Long l) {
            return l != 0;
        }
        if (value instanceof Integer n) {
            return n != 0;
        }
        if (value instanceof Double d) {
            return d != 0;
        }
        if (value instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        if (value instanceof Collection<?> c) {
            return !c.isEmpty();
        }
        return true;
    }

    /** How {{ value }} prints. */
    static String print(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Double d) {
            return formatFloat(d);
        }
        if (value instanceof Map<?, ?> m) {
            StringBuilder out = new StringBuilder("map[");
            boolean first = true;
            for (Map.Entry<?, ?> e : new TreeMap<>(m).entrySet()) {
                out.append(first ? "" : " ").append(e.getKey()).append(':').append(printNested(e.getValue()));
                first = false;
            }
            return out.append(']').toString();
        }
        if (value instanceof List<?> l) {
            StringBuilder out = new StringBuilder("[");
            for (int i = 0; i < l.size(); i++) {
                out.append(i == 0 ? "" : " ").append(printNested(l.get(i)));
            }
            return out.append(']').toString();
        }
        return String.valueOf(value);
    }

    private static String printNested(Object value) {
        return value == null ? "<nil>" : print(value);
    }

    /** fmt's %v for float64 (strconv %g, shortest): exponent form when the exponent is < -4 or >= 6. */
    static String formatFloat(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "+Inf" : "-Inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0" : "0";
        }
        BigDecimal shortest = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        int digits = shortest.precision();
        int exponent = digits - shortest.scale() - 1;
        if (exponent < -4 || exponent >= 6) {
            String mantissa = shortest.unscaledValue().abs().toString();
            StringBuilder out = new StringBuilder(d < 0 ? "-" : "");
            out.append(mantissa.charAt(0));
            if (mantissa.length() > 1) {
                out.append('.').append(mantissa, 1, mantissa.length());
            }
            out.append('e').append(exponent < 0 ? '-' : '+');
            int abs = Math.abs(exponent);
            out.append(abs < 10 ? "0" + abs : String.valueOf(abs));
            return out.toString();
        }
        return shortest.toPlainString();
    }

    /** Go's eq for basic kinds: same kind required (int vs float is an error, as in text/template). */
    static boolean equal(Object a, Object b) {
        if (a == null || b == null) {
            if (a == null && b == null) {
                return true;
            }
            // Go compares a nil interface only with nil; anything else is an incompatible comparison.
            throw new TemplateException("incompatible types for comparison: " + kind(a) + " and " + kind(b));
        }
        String ka = kind(a);
        String kb = kind(b);
        if (!ka.equals(kb)) {
            throw new TemplateException("incompatible types for comparison: " + ka + " and " + kb);
        }
        return switch (ka) {
            case "int" -> toLong(a) == toLong(b);
            case "float64" -> ((Double) a).doubleValue() == ((Double) b).doubleValue();
            case "string", "bool" -> a.equals(b);
            default -> throw new TemplateException("uncomparable type " + ka);
        };
    }

    static int compare(Object a, Object b) {
        String ka = kind(a);
        String kb = kind(b);
        if (!ka.equals(kb)) {
            throw new TemplateException("incompatible types for comparison: " + ka + " and " + kb);
        }
        return switch (ka) {
            case "int" -> Long.compare(toLong(a), toLong(b));
            case "float64" -> Double.compare((Double) a, (Double) b);
            case "string" -> ((String) a).compareTo((String) b);
            default -> throw new TemplateException("invalid type for comparison: " + ka);
        };
    }

    static String kind(Object value) {
        if (value == null) {
            return "nil";
        }
        if (value instanceof Long || value instanceof Integer) {
            return "int";
        }
        if (value instanceof Double) {
            return "float64";
        }
        if (value instanceof String) {
            return "string";
        }
        if (value instanceof Boolean) {
            return "bool";
        }
        if (value instanceof Map) {
            return "map";
        }
        if (value instanceof List) {
            return "slice";
        }
        return value.getClass().getSimpleName();
    }

    private static long toLong(Object value) {
        return ((Number) value).longValue();
    }

    /** sprig's toInt (cast.ToInt): floats truncate, strings parse, nil and junk are 0. */
    static long toInt(Object value) {
        if (value == null) {
            return 0;
        }
        if (value instanceof Number n) {
            return n.longValue();
        }
        if (value instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (value instanceof String s) {
            try {
                return Long.parseLong(s.strip());
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    /** sprig's strval: the text of a value as %v prints it. */
    static String str(Object value) {
        if (value == null) {
            return "<nil>";
        }
        return print(value);
    }

    /** Go's %q. */
    static String goQuote(String s) {
        StringBuilder out = new StringBuilder("\"");
        s.codePoints().forEach(cp -> {
            switch (cp) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (cp < 0x20 || cp == 0x7f) {
                        out.append(String.format("\\x%02x", cp));
                    } else {
                        out.appendCodePoint(cp);
                    }
                }
            }
        });
        return out.append('"').toString();
    }
}
