package io.openlocal.chart.template;

import java.util.List;

/** The parse tree of Go's text/template, restricted to what the chart uses. */
final class Nodes {

    private Nodes() {
    }

    /** A position for error messages. */
    record Pos(String template, int line) {
        @Override
        public String toString() {
            return template + ":" + line;
        }
    }

    sealed interface Node permits Text, Action, If, Range, With, TemplateCall {
    }

    record Text(String text) implements Node {
    }

    /** {{ pipeline }}: prints the value unless the pipeline declares or assigns variables. */
    record Action(Pos pos, Pipeline pipeline) implements Node {
    }

    /** if / else if / else. */
    record If(Pos pos, List<Branch> branches, List<Node> elseBody) implements Node {
    }

    record Branch(Pipeline condition, List<Node> body) {
    }

    record Range(Pos pos, Pipeline pipeline, List<Node> body, List<Node> elseBody) implements Node {
    }

    record With(Pos pos, Pipeline pipeline, List<Node> body, List<Node> elseBody) implements Node {
    }

    /** {{ template "name" pipeline }}. */
    record TemplateCall(Pos pos, String name, Pipeline argument) implements Node {
    }

    /** Variables declared ({@code :=}) or assigned ({@code =}) by the pipeline, then its commands. */
    record Pipeline(Pos pos, List<String> variables, boolean declare, List<Command> commands) {
    }

    /** A function call or a single operand; the previous command's value is appended as a last argument. */
    record Command(List<Operand> operands) {
    }

    sealed interface Operand permits Dot, Variable, Field, Identifier, Literal, Nested {
    }

    record Dot() implements Operand {
    }

    /** {@code $} or {@code $name}, optionally followed by fields. */
    record Variable(String name, List<String> fields) implements Operand {
    }

    /** {@code .a.b} on dot, or fields on a parenthesised pipeline ({@code receiver} non-null). */
    record Field(Operand receiver, List<String> fields) implements Operand {
    }

    /** A function name. */
    record Identifier(String name) implements Operand {
    }

    /** A string, number, boolean or nil. */
    record Literal(Object value) implements Operand {
    }

    record Nested(Pipeline pipeline) implements Operand {
    }
}
