package io.openlocal.chart.template;

import java.util.List;

/** Go's fmt.Sprintf for the verbs charts use (%s %v %d %q %t %%) and fmt.Sprint. */
final class GoFormat {

    private GoFormat() {
    }

    static String sprintf(String format, List<Object> args) {
        StringBuilder out = new StringBuilder();
        int next = 0;
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (i + 1 >= format.length()) {
                out.append("%!(NOVERB)");
                break;
            }
            char verb = format.charAt(++i);
            if (verb == '%') {
                out.append('%');
                continue;
            }
            if (next >= args.size()) {
                out.append("%!").append(verb).append("(MISSING)");
                continue;
            }
            Object arg = args.get(next++);
            switch (verb) {
                case 's', 'v' -> out.append(arg == null ? "%!" + verb + "(<nil>)" : GoValues.print(arg));
                case 'd' -> {
                    if (arg instanceof Long || arg instanceof Integer) {
                        out.append(arg);
                    } else {
                        out.append("%!d(").append(GoValues.kind(arg)).append('=').append(GoValues.print(arg))
                                .append(')');
                    }
                }
                case 'q' -> out.append(GoValues.goQuote(GoValues.str(arg)));
                case 't' -> out.append(arg instanceof Boolean ? arg.toString()
                        : "%!t(" + GoValues.kind(arg) + "=" + GoValues.print(arg) + ")");
                default -> throw new TemplateException("printf: verb %" + verb + " is not supported by this renderer");
            }
        }
        if (next < args.size()) {
            out.append("%!(EXTRA ");
            for (int j = next; j < args.size(); j++) {
                out.append(j > next ? ", " : "").append(GoValues.kind(args.get(j))).append('=')
                        .append(GoValues.print(args.get(j)));
            }
            out.append(')');
        }
        return out.toString();
    }

    /** fmt.Sprint: spaces between operands when neither side is a string. */
    static String sprint(List<Object> args) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < args.size(); i++) {
            Object arg = args.get(i);
            if (i > 0 && !(arg instanceof String) && !(args.get(i - 1) instanceof String)) {
                out.append(' ');
            }
            out.append(arg == null ? "<nil>" : GoValues.print(arg));
        }
        return out.toString();
    }
}
