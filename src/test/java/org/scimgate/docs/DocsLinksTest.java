package org.scimgate.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README and every page under docs/: no broken relative link, and every page reachable from the README. */
class DocsLinksTest {

    private static final Path ROOT = Path.of("");

    @Test
    void noRelativeLinkOfTheReadmeOrTheDocsIsBroken() {
        assertThat(new LinkCheck(ROOT).brokenLinks(Markdown.pages(ROOT))).as("broken links").isEmpty();
    }

    @Test
    void everyDocsPageIsReachableFromTheReadme() {
        assertThat(new LinkCheck(ROOT).unreachable(ROOT.resolve("README.md"), Markdown.pages(ROOT)))
                .as("pages no chain of links from the README reaches").isEmpty();
    }

    @Test
    void reportsALinkToAFileThatDoesNotExist(@TempDir Path root) throws IOException {
        write(root, "README.md", "See [the guide](docs/guide.md) and [`rules/`](rules/).\n");
        assertThat(new LinkCheck(root).brokenLinks(List.of(root.resolve("README.md"))))
                .containsExactly("README.md:1: docs/guide.md names docs/guide.md, which does not exist",
                        "README.md:1: rules/ names rules, which does not exist");
    }

    @Test
    void reportsAnAnchorNoHeadingHas(@TempDir Path root) throws IOException {
        write(root, "README.md", "[a](docs/a.md#what-503-means-exactly) [b](docs/a.md#retries) [c](#run-it)\n\n## Run it\n");
        write(root, "docs/a.md", "# A\n\n### What `503` means, exactly\n\n```\n## Retries\n```\n");
        assertThat(new LinkCheck(root).brokenLinks(List.of(root.resolve("README.md"))))
                .containsExactly("README.md:1: docs/a.md#retries: docs/a.md has no heading with the anchor #retries");
    }

    @Test
    void ignoresLinksInCodeAndExternalLinks(@TempDir Path root) throws IOException {
        write(root, "README.md", "`[x](missing.md)` [site](https://example.com/x.md)\n\n```md\n[y](missing.md)\n```\n");
        assertThat(new LinkCheck(root).brokenLinks(List.of(root.resolve("README.md")))).isEmpty();
    }

    @Test
    void reportsAPageNoLinkReaches(@TempDir Path root) throws IOException {
        write(root, "README.md", "[ops](docs/ops.md)\n");
        write(root, "docs/ops.md", "[more](more.md)\n");
        write(root, "docs/more.md", "# More\n");
        write(root, "docs/orphan.md", "# Orphan\n");
        assertThat(new LinkCheck(root).unreachable(root.resolve("README.md"), Markdown.pages(root)))
                .containsExactly(Path.of("docs/orphan.md"));
    }

    @Test
    void anchorsAreGitHubs() {
        assertThat(Markdown.slug("What `503` means, exactly")).isEqualTo("what-503-means-exactly");
        assertThat(Markdown.slug("What a rule can do (the threat model)")).isEqualTo("what-a-rule-can-do-the-threat-model");
        assertThat(Markdown.slug("The webhook's credentials")).isEqualTo("the-webhooks-credentials");
        assertThat(Markdown.slug("Targets of the performance issue (2026-12-01, after this wave)"))
                .isEqualTo("targets-of-the-performance-issue-2026-12-01-after-this-wave");
    }

    static void write(Path root, String file, String text) throws IOException {
        Path path = root.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, text);
    }
}
