package io.streamrec.demo.docs;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one documented shell line into commands and their words the way sh would for the plain lines the
 * documents show: whitespace separates words, single and double quotes group them (and are removed), a
 * backslash escapes the next character, an unquoted {@code #} at the start of a word ends the line, and
 * unquoted {@code ;}, {@code &}, {@code |} (also doubled) separate commands. No expansion of variables or
 * globs: the words are checked as written.
 */
final class ShellWords {

    private ShellWords() {
    }

    /** The commands on the line, each a non-empty list of words. */
    static List<List<String>> commands(String line) {
        Splitter splitter = new Splitter();
        int i = 0;
        while (i < line.length()) {
            i = splitter.accept(line, i);
        }
        if (splitter.quote != 0) {
            throw new IllegalArgumentException("unterminated " + splitter.quote + " quote in: " + line);
        }
        splitter.endCommand();
        return splitter.commands;
    }

    /** The splitting state over one line. */
    private static final class Splitter {
        final List<List<String>> commands = new ArrayList<>();
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord;
        char quote;

        /** Consumes the character(s) at {@code i} and returns the next index. */
        int accept(String line, int i) {
            char c = line.charAt(i);
            if (quote != 0) {
                return inQuotes(line, i, c);
            }
            if (c == '\\' && i + 1 < line.length()) {
                append(line.charAt(i + 1));
                return i + 2;
            }
            if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
                return i + 1;
            }
            if (Character.isWhitespace(c)) {
                endWord();
                return i + 1;
            }
            if (c == '#' && !inWord) {
                return line.length();
            }
            if (c == ';' || c == '&' || c == '|') {
                endCommand();
                return i + 1;
            }
            append(c);
            return i + 1;
        }

        private int inQuotes(String line, int i, char c) {
            if (c == quote) {
                quote = 0;
                return i + 1;
            }
            if (quote == '"' && c == '\\' && i + 1 < line.length() && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
                append(line.charAt(i + 1));
                return i + 2;
            }
            append(c);
            return i + 1;
        }

        private void append(char c) {
            word.append(c);
            inWord = true;
        }

        private void endWord() {
            if (inWord) {
                words.add(word.toString());
            }
            word = new StringBuilder();
            inWord = false;
        }

        void endCommand() {
            endWord();
            if (!words.isEmpty()) {
                commands.add(List.copyOf(words));
            }
            words = new ArrayList<>();
        }
    }
}
