package io.streamrec.demo.docs;

import io.streamrec.demo.docs.Markdown.Link;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The documentation's hygiene rules as pure functions, so each can be shown to fail on a bad input: no commit
 * references (what changed when lives in git history, not in prose or comments), links that resolve, and the
 * files of the repository they apply to.
 */
final class DocumentRules {

    /**
     * A commit reference: 7 to 40 lower-case hex digits standing alone, with at least one letter and one digit
     * (so plain numbers and words like "deadbeef" are not taken for one). A 64-digit SHA-256 is no match.
     */
    private static final Pattern COMMIT = Pattern.compile("\\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{7,40}\\b");

    private DocumentRules() {
    }

    /** The commit references in a text. */
    static List<String> commitReferences(String text) {
        List<String> found = new ArrayList<>();
        Matcher matcher = COMMIT.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group());
        }
        return found;
    }

    /** The text of every comment in a Java source, skipping string, character and text-block literals. */
    static List<String> javaComments(String source) {
        List<String> comments = new ArrayList<>();
        int i = 0;
        while (i < source.length()) {
            if (source.startsWith("//", i)) {
                int end = source.indexOf('\n', i);
                end = end < 0 ? source.length() : end;
                comments.add(source.substring(i + 2, end));
                i = end;
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                end = end < 0 ? source.length() : end;
                comments.add(source.substring(i + 2, end));
                i = Math.min(source.length(), end + 2);
            } else if (source.startsWith("\"\"\"", i)) {
                i = afterLiteral(source, i + 3, "\"\"\"");
            } else if (source.charAt(i) == '"' || source.charAt(i) == '\'') {
                i = afterLiteral(source, i + 1, String.valueOf(source.charAt(i)));
            } else {
                i++;
            }
        }
        return comments;
    }

    /** The index after the literal's closing delimiter; backslash escapes are skipped. */
    private static int afterLiteral(String source, int from, String delimiter) {
        int i = from;
        while (i < source.length()) {
            if (source.charAt(i) == '\\') {
                i += 2;
            } else if (source.startsWith(delimiter, i)) {
                return i + delimiter.length();
            } else {
                i++;
            }
        }
        return source.length();
    }

    /** Relative links of a document whose file does not exist (anchors are not checked). */
    static List<String> brokenLinks(Path document, String text) {
        List<String> broken = new ArrayList<>();
        for (Link link : Markdown.links(document, text)) {
            String target = link.target().replaceFirst("#.*$", "");
            if (target.isEmpty() || target.matches("^[a-z]+:.*")) {
                continue;
            }
            if (!Files.exists(document.getParent().resolve(target))) {
                broken.add(document.getFileName() + ":" + link.line() + ": " + link.target());
            }
        }
        return broken;
    }

    /** The repository's files with the suffix, outside build output ({@code target/}) and the root's {@code run/}. */
    static List<Path> repositoryFiles(Path root, String suffix) {
        List<Path> files = new ArrayList<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes) {
                    String name = directory.getFileName() == null ? "" : directory.getFileName().toString();
                    boolean skipped = name.equals("target") || name.equals(".git") || name.equals("node_modules")
                            || directory.equals(root.resolve("run"));
                    return skipped ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (file.toString().endsWith(suffix)) {
                        files.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }
}
