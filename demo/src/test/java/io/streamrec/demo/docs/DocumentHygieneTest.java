package io.streamrec.demo.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The documents stay a guide, not a lab notebook: the README and the trainer's README within their sizes, no
 * commit references in any Markdown file or Java comment (what changed when is git history), and every
 * relative link of the user documents pointing at a file that exists.
 */
class DocumentHygieneTest {

    private static final long README_MAX_BYTES = 15 * 1024;
    private static final long TRAINER_README_MAX_BYTES = 8 * 1024;

    private final Path root = Markdown.projectRoot();

    @Test
    void theReadmesStayWithinTheirSizes() throws IOException {
        assertThat(Files.size(root.resolve("README.md"))).as("README.md bytes").isLessThanOrEqualTo(README_MAX_BYTES);
        assertThat(Files.size(root.resolve("trainer/README.md"))).as("trainer/README.md bytes")
                .isLessThanOrEqualTo(TRAINER_README_MAX_BYTES);
    }

    @Test
    void noMarkdownFileOrJavaCommentCitesACommit() {
        List<String> found = new ArrayList<>();
        for (Path markdown : DocumentRules.repositoryFiles(root, ".md")) {
            DocumentRules.commitReferences(Markdown.read(markdown))
                    .forEach(commit -> found.add(root.relativize(markdown) + ": " + commit));
        }
        for (Path source : DocumentRules.repositoryFiles(root, ".java")) {
            for (String comment : DocumentRules.javaComments(Markdown.read(source))) {
                DocumentRules.commitReferences(comment)
                        .forEach(commit -> found.add(root.relativize(source) + ": " + commit));
            }
        }
        assertThat(found).as("commit references").isEmpty();
    }

    @Test
    void everyRelativeLinkOfTheUserDocumentsResolves() {
        List<String> broken = new ArrayList<>();
        for (Path document : Markdown.userDocuments(root)) {
            broken.addAll(DocumentRules.brokenLinks(document, Markdown.read(document)));
        }
        assertThat(broken).as("broken links").isEmpty();
    }

    @Test
    void theRulesCatchWhatTheyAreFor() {
        assertThat(DocumentRules.commitReferences("the refit measured 525 s at 2672ddd (see 1ffff00b)"))
                .containsExactly("2672ddd", "1ffff00b");
        assertThat(DocumentRules.commitReferences("version 1234567, a deadbeef word, 0x9e3779b9, e3b0c442"
                + "98fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")).isEmpty();
        String source = "String s = \"at 2672ddd\"; char c = '\"'; // since 2672ddd\n"
                + "String t = \"\"\"\n  /* not a comment */ \"\"\"; /** measured at\n 1ffff00b */ int x;";
        assertThat(DocumentRules.javaComments(source)).hasSize(2);
        assertThat(DocumentRules.javaComments(source).stream().flatMap(c -> DocumentRules.commitReferences(c).stream()))
                .containsExactly("2672ddd", "1ffff00b");
        Path document = root.resolve("README.md");
        assertThat(DocumentRules.brokenLinks(document, "[ok](docs/operations.md#rotate) [gone](docs/gone.md)"
                + " [web](https://kafka.apache.org) [here](#guarantees)")).singleElement().asString()
                .contains("docs/gone.md");
    }
}
