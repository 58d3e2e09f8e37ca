package org.scimgate.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** One Markdown page as the docs checks read it: its prose, its fenced blocks, its headings. */
record Markdown(Path file, String text) {

    private static final Pattern FENCE = Pattern.compile("^\\s*(```+|~~~+)\\s*([^\\s`]*)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern CODE_SPAN = Pattern.compile("(`+)(.+?)\\1");

    /** A fenced code block: its info string ({@code sh}, {@code json}, or empty) and its lines. */
    record Block(String language, List<String> lines, int line) {
    }

    static Markdown read(Path file) {
        try {
            return new Markdown(file, Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** README.md and every page under docs/, in a stable order. */
    static List<Path> pages(Path root) {
        List<Path> pages = new ArrayList<>();
        pages.add(root.resolve("README.md"));
        try (Stream<Path> docs = Files.walk(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pages;
    }

    /** The lines outside fenced blocks, with the fenced lines blanked so line numbers still hold. */
    List<String> prose() {
        List<String> prose = new ArrayList<>();
        String fence = null;
        for (String line : text.lines().toList()) {
            Matcher m = FENCE.matcher(line);
            if (fence == null && m.find()) {
                fence = m.group(1);
                prose.add("");
            } else if (fence != null) {
                prose.add("");
                if (closes(line, fence)) {
                    fence = null;
                }
            } else {
                prose.add(line);
            }
        }
        return prose;
    }

    private static boolean closes(String line, String fence) {
        String s = line.strip();
        return s.startsWith(fence) && s.chars().allMatch(c -> c == fence.charAt(0));
    }

    List<Block> blocks() {
        List<Block> blocks = new ArrayList<>();
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = FENCE.matcher(lines.get(i));
            if (m.find()) {
                String fence = m.group(1);
                int start = i + 1;
                List<String> body = new ArrayList<>();
                for (i = start; i < lines.size() && !closes(lines.get(i), fence); i++) {
                    body.add(lines.get(i));
                }
                blocks.add(new Block(m.group(2).toLowerCase(), body, start));
            }
        }
        return blocks;
    }

    /** Link targets of the prose, with the line each is on: inline links and images. */
    List<Map.Entry<Integer, String>> links() {
        List<Map.Entry<Integer, String>> links = new ArrayList<>();
        List<String> prose = prose();
        for (int i = 0; i < prose.size(); i++) {
            // A code span's text is not a link, but a link's text may be a code span.
            String line = CODE_SPAN.matcher(prose.get(i)).replaceAll(m -> m.group(2).contains("](") ? "" : "x");
            Matcher m = LINK.matcher(line);
            while (m.find()) {
                links.add(Map.entry(i + 1, m.group(1)));
            }
        }
        return links;
    }

    /** The code spans of the prose, e.g. a command quoted in a sentence. */
    List<String> codeSpans() {
        List<String> spans = new ArrayList<>();
        for (String line : prose()) {
            Matcher m = CODE_SPAN.matcher(line);
            while (m.find()) {
                spans.add(m.group(2).strip());
            }
        }
        return spans;
    }

    /** The anchors GitHub gives the page's headings, duplicates numbered as it numbers them. */
    Set<String> anchors() {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : prose()) {
            Matcher m = HEADING.matcher(line);
            if (m.matches()) {
                String slug = slug(m.group(1));
                int n = seen.merge(slug, 1, Integer::sum) - 1;
                anchors.add(n == 0 ? slug : slug + "-" + n);
            }
        }
        return anchors;
    }

    /** GitHub's heading anchor: the rendered text lower-cased, punctuation dropped, spaces as hyphens. */
    static String slug(String heading) {
        String text = heading.replaceAll("\\[([^\\]]*)]\\([^)]*\\)", "$1").replace("`", "");
        text = Normalizer.normalize(text, Normalizer.Form.NFC).toLowerCase();
        StringBuilder slug = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                slug.appendCodePoint(c);
            } else if (c == ' ') {
                slug.append('-');
            }
        });
        return slug.toString();
    }
}
