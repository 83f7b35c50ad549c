package io.streamrec.demo.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.demo.docs.Markdown.CodeBlock;
import java.io.File;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Java snippets compile against the project's classes, so the class and method names a newcomer
 * copies are real. A snippet is its imports followed by statements; the statements become the body of a method
 * that may throw, and the whole is compiled with every lint warning as an error.
 */
class ReadmeSnippetTest {

    @Test
    void theReadmesJavaSnippetsCompile(@TempDir Path classes) {
        Path readme = Markdown.projectRoot().resolve("README.md");
        List<CodeBlock> snippets = Markdown.codeBlocks(readme, Markdown.read(readme)).stream()
                .filter(block -> block.language().equals("java"))
                .toList();
        assertThat(snippets).as("Java snippets in the README").isNotEmpty();
        for (CodeBlock snippet : snippets) {
            assertThat(compile(snippet.lines(), classes)).as("README.md:" + snippet.line()).isEmpty();
        }
    }

    @Test
    void aMisspeltMethodDoesNotCompile(@TempDir Path classes) {
        List<String> misspelt = List.of("import io.streamrec.avro.ClickEvent;",
                "import io.streamrec.schemas.serde.AvroSerde;", "AvroSerde.specifc(ClickEvent.class);");
        assertThat(compile(misspelt, classes)).contains("specifc");
        assertThat(compile(List.of(misspelt.get(0), misspelt.get(1), "AvroSerde.specific(ClickEvent.class);"),
                classes)).isEmpty();
    }

    /** The compiler's messages for the snippet, empty when it compiled without a warning. */
    static String compile(List<String> snippet, Path classes) {
        List<String> imports = new ArrayList<>();
        List<String> statements = new ArrayList<>();
        for (String line : snippet) {
            (line.startsWith("import ") ? imports : statements).add(line);
        }
        String source = String.join("\n", imports) + "\n\nclass ReadmeSnippet {\n    void run() throws Exception {\n"
                + String.join("\n", statements) + "\n    }\n}\n";
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        StringWriter messages = new StringWriter();
        List<String> options = List.of("-classpath", testClassPath(), "-d", classes.toString(), "-proc:none",
                "-Xlint:all,-path,-processing", "-Werror");
        boolean compiled = compiler.getTask(messages, null, null, options, null, List.of(new Source(source))).call();
        return compiled && messages.toString().isBlank() ? "" : messages + "\n" + source;
    }

    /** Surefire's class path of this test run (the JVM's own may be a single manifest jar). */
    private static String testClassPath() {
        return System.getProperty("surefire.test.class.path",
                System.getProperty("java.class.path", "") + File.pathSeparator);
    }

    /** The generated source, held in memory. */
    private static final class Source extends SimpleJavaFileObject {
        private final String code;

        Source(String code) {
            super(URI.create("string:///ReadmeSnippet.java"), JavaFileObject.Kind.SOURCE);
            this.code = code;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return code;
        }
    }
}
