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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A renderer for the subset of Helm templates this chart uses: Go text/template actions (see {@link Parser})
 * plus the Helm/sprig functions in {@link Functions}. It exists because this machine has no helm binary; it
 * follows Go's rules where a chart could silently differ (white-space trimming, truth, nil field access is an
 * error, int/float comparison is an error, map ranges in key order, float printing).
 */
public final class TemplateEngine {

    /** Helm's lookup: (apiVersion, kind, namespace, name) to the live object, or an empty map. */
    @FunctionalInterface
    public interface Lookup {
        Map<String, Object> find(String apiVersion, String kind, String namespace, String name);
    }

    /** A method on a template object, e.g. .Files.Get. */
    @FunctionalInterface
    public interface Method {
        Object call(List<Object> args);
    }

    private static final int MAX_INCLUDE_DEPTH = 100;

    private final Map<String, List<Node>> templates = new HashMap<>();
    private final Functions functions;

    public TemplateEngine(Lookup lookup) {
        this.functions = new Functions(this, lookup);
    }

    /** Parses a file; its {{define}}s become named templates and the file itself is one under its name. */
    public void addTemplate(String name, String source) {
        templates.put(name, Parser.parse(name, source, templates));
    }

    public boolean hasTemplate(String name) {
        return templates.containsKey(name);
    }

    /** Executes a template with the given data as dot and $. */
    public String execute(String name, Object data) {
        return new Execution(name, 0).run(name, data);
    }

    String include(String name, Object data, int depth) {
        if (depth > MAX_INCLUDE_DEPTH) {
            throw new TemplateException("include of \"" + name + "\" nested too deeply (recursion?)");
        }
        return new Execution(name, depth + 1).run(name, data);
    }

    /** One run of one template: its output and its variables. */
    final class Execution {
        private final StringBuilder out = new StringBuilder();
        private final List<Map.Entry<String, Object>> variables = new ArrayList<>();
        private final String name;
        private final int depth;

        Execution(String name, int depth) {
            this.name = name;
            this.depth = depth;
        }

        int depth() {
            return depth;
        }

        String run(String template, Object data) {
            List<Node> nodes = templates.get(template);
            if (nodes == null) {
                throw new TemplateException("no template \"" + template + "\"");
            }
            variables.add(new java.util.AbstractMap.SimpleEntry<>("$", data));
            walk(nodes, data);
            return out.toString();
        }

        private void walk(List<Node> nodes, Object dot) {
            for (Node node : nodes) {
                walk(node, dot);
            }
        }

        private void walk(Node node, Object dot) {
            switch (node) {
                case Text text -> out.append(text.text());
                case Action action -> {
                    Object value = evaluate(action.pipeline(), dot);
                    if (action.pipeline().variables().isEmpty()) {
                        out.append(GoValues.print(value));
                    }
                }
                case If ifNode -> {
                    int mark = variables.size();
                    try {
                        for (Branch branch : ifNode.branches()) {
                            if (GoValues.truth(evaluate(branch.condition(), dot))) {
                                walk(branch.body(), dot);
                                return;
                            }
                        }
                        walk(ifNode.elseBody(), dot);
                    } finally {
                        truncate(mark);
                    }
                }
                case With with -> {
                    int mark = variables.size();
                    try {
                        Object value = evaluate(with.pipeline(), dot);
                        if (GoValues.truth(value)) {
                            walk(with.body(), value);
                        } else {
                            walk(with.elseBody(), dot);
                        }
                    } finally {
                        truncate(mark);
                    }
                }
                case Range range -> range(range, dot);
                case TemplateCall call -> {
                    Object argument = call.argument() == null ? null : evaluate(call.argument(), dot);
                    out.append(include(call.name(), argument, depth));
                }
            }
        }

        private void range(Range range, Object dot) {
            Pipeline pipeline = range.pipeline();
            List<String> names = pipeline.variables();
            Pipeline source = new Pipeline(pipeline.pos(), List.of(), false, pipeline.commands());
            Object value = evaluate(source, dot);
            int mark = variables.size();
            try {
                List<Map.Entry<Object, Object>> entries = new ArrayList<>();
                if (value instanceof List<?> list) {
                    for (int i = 0; i < list.size(); i++) {
                        entries.add(new java.util.AbstractMap.SimpleEntry<>((long) i, list.get(i)));
                    }
                } else if (value instanceof Map<?, ?> map) {
                    new TreeMap<>(map).forEach((k, v) -> entries.add(new java.util.AbstractMap.SimpleEntry<>(k, v)));
                } else if (value != null) {
                    throw new TemplateException(pipeline.pos() + ": range can't iterate over " + GoValues.print(value));
                }
                if (entries.isEmpty()) {
                    walk(range.elseBody(), dot);
                    return;
                }
                for (Map.Entry<Object, Object> entry : entries) {
                    truncate(mark);
                    if (names.size() == 1) {
                        declare(names.get(0), entry.getValue());
                    } else if (names.size() == 2) {
                        declare(names.get(0), entry.getKey());
                        declare(names.get(1), entry.getValue());
                    } else if (names.size() > 2) {
                        throw new TemplateException(pipeline.pos() + ": too many range variables");
                    }
                    walk(range.body(), entry.getValue());
                }
            } finally {
                truncate(mark);
            }
        }

        private void truncate(int mark) {
            while (variables.size() > mark) {
                variables.remove(variables.size() - 1);
            }
        }

        private void declare(String variable, Object value) {
            variables.add(new java.util.AbstractMap.SimpleEntry<>(variable, value));
        }

        private Object variable(Pos pos, String variable) {
            for (int i = variables.size() - 1; i >= 0; i--) {
                if (variables.get(i).getKey().equals(variable)) {
                    return variables.get(i).getValue();
                }
            }
            throw new TemplateException(pos + ": undefined variable " + variable);
        }

        Object evaluate(Pipeline pipeline, Object dot) {
            Object value = null;
            boolean first = true;
            try {
                for (Command command : pipeline.commands()) {
                    value = command(pipeline.pos(), command, dot, first ? Functions.NO_VALUE : value);
                    first = false;
                }
            } catch (TemplateException e) {
                if (e.getMessage() != null && e.getMessage().matches("(?s)^\\S+:\\d+: .*")) {
                    throw e;
                }
                throw new TemplateException(pipeline.pos() + ": " + e.getMessage(), e);
            }
            if (!pipeline.variables().isEmpty()) {
                if (pipeline.declare()) {
                    declare(pipeline.variables().get(0), value);
                } else {
                    assign(pipeline.pos(), pipeline.variables().get(0), value);
                }
            }
            return value;
        }

        private void assign(Pos pos, String variable, Object value) {
            for (int i = variables.size() - 1; i >= 0; i--) {
                if (variables.get(i).getKey().equals(variable)) {
                    variables.get(i).setValue(value);
                    return;
                }
            }
            throw new TemplateException(pos + ": undefined variable " + variable);
        }

        private Object command(Pos pos, Command command, Object dot, Object piped) {
            List<Operand> operands = command.operands();
            Operand head = operands.get(0);
            if (head instanceof Identifier identifier) {
                List<Operand> rest = operands.subList(1, operands.size());
                return functions.call(this, pos, identifier.name(), rest, dot, piped);
            }
            Object value = operand(pos, head, dot);
            if (value instanceof Method method) {
                List<Object> args = new ArrayList<>();
                for (Operand operand : operands.subList(1, operands.size())) {
                    args.add(operand(pos, operand, dot));
                }
                if (piped != Functions.NO_VALUE) {
                    args.add(piped);
                }
                return method.call(args);
            }
            if (operands.size() > 1 || piped != Functions.NO_VALUE) {
                throw new TemplateException(pos + ": can't give argument to non-function " + describe(head));
            }
            return value;
        }

        Object operand(Pos pos, Operand operand, Object dot) {
            return switch (operand) {
                case Dot ignored -> dot;
                case Literal literal -> literal.value();
                case Variable v -> fields(pos, variable(pos, v.name()), v.fields(), v.name());
                case Field f -> fields(pos, f.receiver() == null ? dot : operand(pos, f.receiver(), dot),
                        f.fields(), f.receiver() == null ? "" : "(...)");
                case Nested nested -> evaluate(nested.pipeline(), dot);
                case Identifier identifier -> functions.call(this, pos, identifier.name(), List.of(), dot,
                        Functions.NO_VALUE);
            };
        }

        private Object fields(Pos pos, Object receiver, List<String> fields, String start) {
            Object value = receiver;
            StringBuilder path = new StringBuilder(start);
            for (String field : fields) {
                if (value == null) {
                    throw new TemplateException(pos + ": nil pointer evaluating interface {}." + field
                            + " (at " + path + ")");
                }
                if (value instanceof Map<?, ?> map) {
                    value = map.get(field);
                } else if (value instanceof MethodHolder holder) {
                    value = holder.method(field);
                    if (value == null) {
                        throw new TemplateException(pos + ": can't evaluate field " + field);
                    }
                } else {
                    throw new TemplateException(pos + ": can't evaluate field " + field + " in type "
                            + GoValues.kind(value) + " (at " + path + ")");
                }
                path.append('.').append(field);
            }
            return value;
        }

        private String describe(Operand operand) {
            return switch (operand) {
                case Field f -> "." + String.join(".", f.fields());
                case Variable v -> v.name();
                default -> operand.toString();
            };
        }
    }

    /** An object whose fields are methods (Helm's .Files). */
    public interface MethodHolder {
        Method method(String name);
    }
}
