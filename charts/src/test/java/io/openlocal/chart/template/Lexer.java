package io.openlocal.chart.template;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits template source into text and actions, applying Go's trim markers: "{{- " removes the white space
 * before the action, " -}}" the white space after it. Comments ({{/* *}}) vanish but still trim.
 */
final class Lexer {

    /** A text run or the inside of an action (delimiters and trim markers removed). */
    record Item(boolean action, String text, int line) {
    }

    private Lexer() {
    }

    static List<Item> split(String name, String source) {
        List<Item> items = new ArrayList<>();
        int pos = 0;
        int line = 1;
        boolean trimNextText = false;
        while (pos < source.length()) {
            int open = source.indexOf("{{", pos);
            String text = open < 0 ? source.substring(pos) : source.substring(pos, open);
            if (trimNextText) {
                text = stripLeading(text);
            }
            if (open < 0) {
                addText(items, text, line);
                break;
            }
            boolean trimLeft = source.startsWith("{{- ", open) || source.startsWith("{{-\n", open)
                    || source.startsWith("{{-\t", open);
            if (trimLeft) {
                text = stripTrailing(text);
            }
            addText(items, text, line);
            line += count(source, pos, open);
            int contentStart = open + (trimLeft ? 3 : 2);
            int close = findClose(name, source, contentStart, line);
            boolean trimRight = close >= 2 && source.charAt(close - 1) == '-'
                    && Character.isWhitespace(source.charAt(close - 2)) && close - 1 >= contentStart;
            int contentEnd = trimRight ? close - 1 : close;
            String content = source.substring(contentStart, contentEnd).strip();
            if (content.startsWith("/*")) {
                if (!content.endsWith("*/")) {
                    throw new TemplateException(name + ":" + line + ": unclosed comment");
                }
            } else {
                items.add(new Item(true, content, line));
            }
            line += count(source, open, close + 2);
            pos = close + 2;
            trimNextText = trimRight;
        }
        return items;
    }

    /** Finds the closing "}}", skipping quoted strings and comments inside the action. */
    private static int findClose(String name, String source, int from, int line) {
        int i = from;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                if (end < 0) {
                    throw new TemplateException(name + ":" + line + ": unclosed comment");
                }
                i = end + 2;
                continue;
            }
            if (c == '"' || c == '`' || c == '\'') {
                int j = i + 1;
                while (j < source.length() && source.charAt(j) != c) {
                    if (c != '`' && source.charAt(j) == '\\') {
                        j++;
                    }
                    if (c != '`' && source.charAt(j) == '\n') {
                        throw new TemplateException(name + ":" + line + ": newline in string");
                    }
                    j++;
                }
                i = j + 1;
                continue;
            }
            if (source.startsWith("}}", i)) {
                return i;
            }
            i++;
        }
        throw new TemplateException(name + ":" + line + ": unclosed action");
    }

    private static void addText(List<Item> items, String text, int line) {
        if (!text.isEmpty()) {
            items.add(new Item(false, text, line));
        }
    }

    private static int count(String s, int from, int to) {
        int n = 0;
        for (int i = from; i < to && i < s.length(); i++) {
            if (s.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }

    // Go trims ASCII white space: space, tab, carriage return, newline.
    private static String stripLeading(String s) {
        int i = 0;
        while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
        return s.substring(i);
    }

    private static String stripTrailing(String s) {
        int i = s.length();
        while (i > 0 && " \t\r\n".indexOf(s.charAt(i - 1)) >= 0) {
            i--;
        }
        return s.substring(0, i);
    }
}
