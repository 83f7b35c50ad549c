package io.streamrec.demo.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The project's user documents (README.md and everything under docs/) and the two things the tests read from
 * them: fenced code blocks and relative links. A small reader for the Markdown this project writes, not a
 * CommonMark parser: a fence is a line whose first non-blank characters are three backticks.
 */
final class Markdown {

    /** One fenced code block: where it starts (1-based line of the opening fence), its info string and body. */
    record CodeBlock(Path file, int line, String language, List<String> lines) { }

    /** One inline link {@code [text](target)} and the line it is on. */
    record Link(Path file, int line, String target) { }

    /** One inline code span, line breaks inside it turned into spaces, and the line it starts on. */
    record InlineCode(Path file, int line, String text) { }

    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern INLINE_CODE = Pattern.compile("`([^`]+)`");

    private Markdown() {
    }

    /** The repository's root, as the build passes it (Surefire's {@code streamrec.project.root}). */
    static Path projectRoot() {
        return Path.of(System.getProperty("streamrec.project.root", "..")).toAbsolutePath().normalize();
    }

    /** README.md and every Markdown file under docs/, in a stable order. */
    static List<Path> userDocuments(Path root) {
        List<Path> documents = new ArrayList<>();
        documents.add(root.resolve("README.md"));
        Path docs = root.resolve("docs");
        if (Files.isDirectory(docs)) {
            try (Stream<Path> files = Files.walk(docs)) {
                files.filter(file -> file.toString().endsWith(".md")).sorted().forEach(documents::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return documents;
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fenced code blocks of a document, in order; an unclosed fence runs to the end. */
    static List<CodeBlock> codeBlocks(Path file, String text) {
        List<CodeBlock> blocks = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        int i = 0;
        while (i < lines.length) {
            String opening = lines[i].strip();
            if (!opening.startsWith("```")) {
                i++;
                continue;
            }
            int start = i + 1;
            List<String> body = new ArrayList<>();
            i++;
            while (i < lines.length && !lines[i].strip().startsWith("```")) {
                body.add(lines[i]);
                i++;
            }
            blocks.add(new CodeBlock(file, start, opening.substring(3).strip(), List.copyOf(body)));
            i++;
        }
        return blocks;
    }

    /** Inline code spans outside fenced blocks; a span may wrap across lines, as in a paragraph. */
    static List<InlineCode> inlineCode(Path file, String text) {
        String[] lines = text.split("\n", -1);
        boolean inCode = false;
        for (int i = 0; i < lines.length; i++) {
            boolean fence = lines[i].strip().startsWith("```");
            if (fence || inCode) {
                lines[i] = "";
            }
            inCode = fence != inCode;
        }
        String prose = String.join("\n", lines);
        List<InlineCode> spans = new ArrayList<>();
        Matcher matcher = INLINE_CODE.matcher(prose);
        while (matcher.find()) {
            int line = 1 + (int) prose.substring(0, matcher.start()).chars().filter(c -> c == '\n').count();
            spans.add(new InlineCode(file, line, matcher.group(1).replaceAll("\\s+", " ").strip()));
        }
        return spans;
    }

    /** Inline links outside code blocks. */
    static List<Link> links(Path file, String text) {
        List<Link> links = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        boolean inCode = false;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].strip().startsWith("```")) {
                inCode = !inCode;
                continue;
            }
            Matcher matcher = LINK.matcher(lines[i]);
            while (!inCode && matcher.find()) {
                links.add(new Link(file, i + 1, matcher.group(1)));
            }
        }
        return links;
    }
}
