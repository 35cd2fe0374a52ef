package io.openlocal.chart.template;

import io.openlocal.chart.template.Nodes.Action;
import io.openlocal.chart.template.Nodes.Branch;
import io.openlocal.chart.template.Nodes.Command;
import io.openlocal.chart.template.Nodes.Dot;
import io.openlocal.chart.template.Nodes.Field;
import io.openlocal.chart.template.Nodes.Identifier;
import io.openlocal.chart.template.Nodes.If;
import io.openlocal.chart.template.Nodes.Literal;
import io.openlocal.chart.template.Nodes.Nested;
import io.openlocal.chart.template.Nodes.Node;
import io.openlocal.chart.template.Nodes.Operand;
import io.openlocal.chart.template.Nodes.Pipeline;
import io.openlocal.chart.template.Nodes.Pos;
import io.openlocal.chart.template.Nodes.Range;
import io.openlocal.chart.template.Nodes.TemplateCall;
import io.openlocal.chart.template.Nodes.Text;
import io.openlocal.chart.template.Nodes.Variable;
import io.openlocal.chart.template.Nodes.With;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses one template file into a node list; {{define}} blocks go into the shared map of named templates.
 * Supported actions: output pipelines, variable declaration/assignment, if/else if/else, range (with one or
 * two variables), with, define, template, end. Anything else is an error naming the file and line.
 */
final class Parser {

    private final String name;
    private final List<Lexer.Item> items;
    private final Map<String, List<Node>> defines;
    private int index;

    private Parser(String name, List<Lexer.Item> items, Map<String, List<Node>> defines) {
        this.name = name;
        this.items = items;
        this.defines = defines;
    }

    static List<Node> parse(String name, String source, Map<String, List<Node>> defines) {
        Parser parser = new Parser(name, Lexer.split(name, source), defines);
        List<Node> nodes = new ArrayList<>();
        String end = parser.parseList(nodes);
        if (end != null) {
            throw new TemplateException(name + ": unexpected {{" + end + "}}");
        }
        return nodes;
    }

    /** Parses until {{end}} / {{else...}} (returned as the action text) or the end of input (null). */
    private String parseList(List<Node> out) {
        while (index < items.size()) {
            Lexer.Item item = items.get(index++);
            if (!item.action()) {
                out.add(new Text(item.text()));
                continue;
            }
            Pos pos = new Pos(name, item.line());
            Scanner scanner = new Scanner(item.text(), pos);
            String keyword = scanner.peekKeyword();
            switch (keyword == null ? "" : keyword) {
                case "end" -> {
                    scanner.expectKeyword("end");
                    scanner.expectEnd();
                    return "end";
                }
                case "else" -> {
                    return item.text();
                }
                case "if" -> {
                    scanner.expectKeyword("if");
                    out.add(parseIf(pos, parsePipeline(scanner, true)));
                }
                case "range" -> {
                    scanner.expectKeyword("range");
                    Pipeline pipeline = parsePipeline(scanner, true);
                    List<Node> body = new ArrayList<>();
                    List<Node> elseBody = new ArrayList<>();
                    parseBodyWithElse(pos, body, elseBody);
                    out.add(new Range(pos, pipeline, body, elseBody));
                }
                case "with" -> {
                    scanner.expectKeyword("with");
                    Pipeline pipeline = parsePipeline(scanner, true);
                    List<Node> body = new ArrayList<>();
                    List<Node> elseBody = new ArrayList<>();
                    parseBodyWithElse(pos, body, elseBody);
                    out.add(new With(pos, pipeline, body, elseBody));
                }
                case "define" -> {
                    scanner.expectKeyword("define");
                    String defined = scanner.stringLiteral();
                    scanner.expectEnd();
                    List<Node> body = new ArrayList<>();
                    String end = parseList(body);
                    if (!"end".equals(end)) {
                        throw new TemplateException(pos + ": define \"" + defined + "\" has no {{end}}");
                    }
                    defines.put(defined, body);
                }
                case "template" -> {
                    scanner.expectKeyword("template");
                    String called = scanner.stringLiteral();
                    Pipeline argument = scanner.atEnd() ? null : parsePipeline(scanner, false);
                    out.add(new TemplateCall(pos, called, argument));
                }
                case "block", "break", "continue" ->
                        throw new TemplateException(pos + ": {{" + keyword + "}} is not supported by this renderer");
                default -> out.add(new Action(pos, parsePipeline(scanner, true)));
            }
        }
        return null;
    }

    private If parseIf(Pos pos, Pipeline condition) {
        List<Branch> branches = new ArrayList<>();
        List<Node> body = new ArrayList<>();
        branches.add(new Branch(condition, body));
        List<Node> elseBody = new ArrayList<>();
        String end = parseList(body);
        while (end != null && !end.equals("end")) {
            Scanner scanner = new Scanner(end, pos);
            scanner.expectKeyword("else");
            if (scanner.atEnd()) {
                String last = parseList(elseBody);
                if (!"end".equals(last)) {
                    throw new TemplateException(pos + ": if has no {{end}}");
                }
                return new If(pos, branches, elseBody);
            }
            scanner.expectKeyword("if");
            List<Node> branchBody = new ArrayList<>();
            branches.add(new Branch(parsePipeline(scanner, false), branchBody));
            end = parseList(branchBody);
        }
        if (end == null) {
            throw new TemplateException(pos + ": if has no {{end}}");
        }
        return new If(pos, branches, elseBody);
    }

    private void parseBodyWithElse(Pos pos, List<Node> body, List<Node> elseBody) {
        String end = parseList(body);
        if (end != null && !end.equals("end")) {
            Scanner scanner = new Scanner(end, pos);
            scanner.expectKeyword("else");
            scanner.expectEnd();
            end = parseList(elseBody);
        }
        if (!"end".equals(end)) {
            throw new TemplateException(pos + ": block has no {{end}}");
        }
    }

    private Pipeline parsePipeline(Scanner scanner, boolean allowDeclarations) {
        Pos pos = scanner.pos;
        List<String> variables = new ArrayList<>();
        boolean declare = false;
        int mark = scanner.position();
        if (allowDeclarations) {
            List<String> names = new ArrayList<>();
            while (scanner.peekVariableName() != null) {
                names.add(scanner.variableName());
                if (scanner.consume(",")) {
                    continue;
                }
                break;
            }
            if (!names.isEmpty() && scanner.peek(":=")) {
                scanner.consume(":=");
                variables.addAll(names);
                declare = true;
            } else if (names.size() == 1 && scanner.peek("=") && !scanner.peek("==")) {
                scanner.consume("=");
                variables.addAll(names);
            } else {
                scanner.reset(mark);
            }
        }
        List<Command> commands = new ArrayList<>();
        commands.add(parseCommand(scanner));
        while (scanner.consume("|")) {
            commands.add(parseCommand(scanner));
        }
        return new Pipeline(pos, variables, declare, commands);
    }

    private Command parseCommand(Scanner scanner) {
        List<Operand> operands = new ArrayList<>();
        while (!scanner.atEnd() && !scanner.peek("|") && !scanner.peek(")")) {
            operands.add(parseOperand(scanner));
        }
        if (operands.isEmpty()) {
            throw new TemplateException(scanner.pos + ": missing value in '" + scanner.source + "'");
        }
        return new Command(operands);
    }

    private Operand parseOperand(Scanner scanner) {
        Operand operand = scanner.operand();
        if (operand == null) {
            if (scanner.consume("(")) {
                Pipeline nested = parsePipeline(scanner, false);
                if (!scanner.consume(")")) {
                    throw new TemplateException(scanner.pos + ": missing ')' in '" + scanner.source + "'");
                }
                List<String> fields = scanner.fieldChain();
                Operand result = new Nested(nested);
                return fields.isEmpty() ? result : new Field(result, fields);
            }
            throw new TemplateException(scanner.pos + ": cannot parse '" + scanner.rest() + "'");
        }
        return operand;
    }

    /** Tokens of one action. */
    static final class Scanner {
        final String source;
        final Pos pos;
        private int i;

        Scanner(String source, Pos pos) {
            this.source = source;
            this.pos = pos;
        }

        int position() {
            return i;
        }

        void reset(int mark) {
            i = mark;
        }

        String rest() {
            return source.substring(i);
        }

        private void skipSpace() {
            while (i < source.length() && Character.isWhitespace(source.charAt(i))) {
                i++;
            }
        }

        boolean atEnd() {
            skipSpace();
            return i >= source.length();
        }

        void expectEnd() {
            if (!atEnd()) {
                throw new TemplateException(pos + ": unexpected '" + rest() + "'");
            }
        }

        boolean peek(String token) {
            skipSpace();
            return source.startsWith(token, i);
        }

        boolean consume(String token) {
            if (peek(token)) {
                i += token.length();
                return true;
            }
            return false;
        }

        String peekKeyword() {
            skipSpace();
            int j = i;
            while (j < source.length() && Character.isLetter(source.charAt(j))) {
                j++;
            }
            String word = source.substring(i, j);
            boolean bounded = j >= source.length() || !isIdentChar(source.charAt(j));
            return bounded && List.of("if", "else", "end", "range", "with", "define", "template", "block",
                    "break", "continue").contains(word) ? word : null;
        }

        void expectKeyword(String keyword) {
            if (!keyword.equals(peekKeyword())) {
                throw new TemplateException(pos + ": expected '" + keyword + "' in '" + source + "'");
            }
            i += keyword.length();
        }

        String peekVariableName() {
            skipSpace();
            if (i < source.length() && source.charAt(i) == '$') {
                int j = i + 1;
                while (j < source.length() && isIdentChar(source.charAt(j))) {
                    j++;
                }
                return source.substring(i, j);
            }
            return null;
        }

        String variableName() {
            String name = peekVariableName();
            i += name.length();
            return name;
        }

        String stringLiteral() {
            skipSpace();
            Object literal = i < source.length() && (source.charAt(i) == '"' || source.charAt(i) == '`')
                    ? readString() : null;
            if (!(literal instanceof String s)) {
                throw new TemplateException(pos + ": expected a string in '" + source + "'");
            }
            return s;
        }

        /** Reads ".a.b" field names that directly follow (no space). */
        List<String> fieldChain() {
            List<String> fields = new ArrayList<>();
            while (i < source.length() && source.charAt(i) == '.' && i + 1 < source.length()
                    && isIdentStart(source.charAt(i + 1))) {
                int j = i + 1;
                while (j < source.length() && isIdentChar(source.charAt(j))) {
                    j++;
                }
                fields.add(source.substring(i + 1, j));
                i = j;
            }
            return fields;
        }

        /** The next simple operand, or null when the next token is '(' (or not an operand). */
        Operand operand() {
            skipSpace();
            if (i >= source.length()) {
                return null;
            }
            char c = source.charAt(i);
            if (c == '"' || c == '`') {
                return new Literal(readString());
            }
            if (c == '\'') {
                throw new TemplateException(pos + ": character constants are not supported");
            }
            if (c == '$') {
                String name = variableName();
                return new Variable(name, fieldChain());
            }
            if (c == '.') {
                if (i + 1 < source.length() && isIdentStart(source.charAt(i + 1))) {
                    return new Field(null, fieldChain());
                }
                i++;
                return new Dot();
            }
            if (c == '-' || c == '+' || Character.isDigit(c)) {
                return new Literal(readNumber());
            }
            if (isIdentStart(c)) {
                int j = i;
                while (j < source.length() && isIdentChar(source.charAt(j))) {
                    j++;
                }
                String word = source.substring(i, j);
                i = j;
                return switch (word) {
                    case "true" -> new Literal(Boolean.TRUE);
                    case "false" -> new Literal(Boolean.FALSE);
                    case "nil" -> new Literal(null);
                    default -> new Identifier(word);
                };
            }
            return null;
        }

        private Object readNumber() {
            int j = i;
            if (source.charAt(j) == '-' || source.charAt(j) == '+') {
                j++;
            }
            while (j < source.length() && (Character.isLetterOrDigit(source.charAt(j)) || source.charAt(j) == '.'
                    || source.charAt(j) == '_')) {
                j++;
            }
            String text = source.substring(i, j).replace("_", "");
            i = j;
            try {
                if (text.matches("[-+]?0[xX][0-9a-fA-F]+")) {
                    boolean negative = text.startsWith("-");
                    long v = Long.parseLong(text.replaceFirst("^[-+]?0[xX]", ""), 16);
                    return negative ? -v : v;
                }
                if (text.matches("[-+]?[0-9]+")) {
                    return Long.parseLong(text);
                }
                return Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw new TemplateException(pos + ": bad number '" + text + "'");
            }
        }

        private String readString() {
            char quote = source.charAt(i);
            StringBuilder out = new StringBuilder();
            int j = i + 1;
            while (j < source.length() && source.charAt(j) != quote) {
                char c = source.charAt(j);
                if (quote == '"' && c == '\\') {
                    char e = source.charAt(++j);
                    switch (e) {
                        case 'n' -> out.append('\n');
                        case 't' -> out.append('\t');
                        case 'r' -> out.append('\r');
                        case '\\' -> out.append('\\');
                        case '"' -> out.append('"');
                        default -> throw new TemplateException(pos + ": unsupported escape \\" + e);
                    }
                } else {
                    out.append(c);
                }
                j++;
            }
            if (j >= source.length()) {
                throw new TemplateException(pos + ": unterminated string in '" + source + "'");
            }
            i = j + 1;
            return out.toString();
        }

        private static boolean isIdentStart(char c) {
            return Character.isLetter(c) || c == '_';
        }

        private static boolean isIdentChar(char c) {
            return Character.isLetterOrDigit(c) || c == '_';
        }
    }
}
