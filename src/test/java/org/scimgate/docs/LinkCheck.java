package org.scimgate.docs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Relative links of the README and the docs: each names a file or folder of the repository, and an
 * anchor names a heading of its page. Links with a scheme ({@code https:}, {@code mailto:}) are
 * not followed.
 */
final class LinkCheck {

    private final Path root;
    private final Map<Path, Markdown> pages = new HashMap<>();

    LinkCheck(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** Every broken link of the given pages, as {@code file:line: problem}. */
    List<String> brokenLinks(List<Path> files) {
        List<String> problems = new ArrayList<>();
        for (Path file : files) {
            Markdown page = page(file);
            for (var link : page.links()) {
                String problem = problem(page.file(), link.getValue());
                if (problem != null) {
                    problems.add(root.relativize(page.file()) + ":" + link.getKey() + ": " + problem);
                }
            }
        }
        return problems;
    }

    /** The Markdown pages under docs/ that no chain of links from the README reaches. */
    Set<Path> unreachable(Path readme, List<Path> pages) {
        Set<Path> reached = new LinkedHashSet<>();
        Deque<Path> todo = new ArrayDeque<>(List.of(readme.toAbsolutePath().normalize()));
        while (!todo.isEmpty()) {
            Path page = todo.pop();
            if (reached.add(page)) {
                for (var link : page(page).links()) {
                    Path target = target(page, link.getValue());
                    if (target != null && target.toString().endsWith(".md") && Files.isRegularFile(target)) {
                        todo.push(target);
                    }
                }
            }
        }
        Set<Path> unreachable = new LinkedHashSet<>();
        pages.stream().map(p -> p.toAbsolutePath().normalize()).filter(p -> !reached.contains(p))
                .forEach(p -> unreachable.add(root.relativize(p)));
        return unreachable;
    }

    private String problem(Path from, String link) {
        if (isExternal(link)) {
            return null;
        }
        Path target = target(from, link);
        if (!target.startsWith(root)) {
            return link + " leaves the repository";
        }
        if (!Files.exists(target)) {
            return link + " names " + root.relativize(target) + ", which does not exist";
        }
        int hash = link.indexOf('#');
        if (hash >= 0 && target.toString().endsWith(".md")) {
            String anchor = link.substring(hash + 1);
            if (!page(target).anchors().contains(anchor)) {
                return link + ": " + root.relativize(target) + " has no heading with the anchor #" + anchor;
            }
        }
        return null;
    }

    private static boolean isExternal(String link) {
        return link.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*");
    }

    /** The file a link names, or null for an external link. */
    private static Path target(Path from, String link) {
        if (isExternal(link)) {
            return null;
        }
        int hash = link.indexOf('#');
        String path = hash >= 0 ? link.substring(0, hash) : link;
        Path dir = from.toAbsolutePath().getParent();
        return path.isEmpty() ? from.toAbsolutePath().normalize()
                : dir.resolve(java.net.URLDecoder.decode(path, java.nio.charset.StandardCharsets.UTF_8)).normalize();
    }

    private Markdown page(Path file) {
        return pages.computeIfAbsent(file.toAbsolutePath().normalize(), Markdown::read);
    }
}
