package org.scimgate.policy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cycles of a directed graph: its strongly connected components of more than one node, or of
 * one node with an edge to itself (Tarjan's algorithm, without recursion so a large graph cannot
 * overflow the checker's own stack). Nodes in a deterministic order, so reports are stable.
 */
final class Cycles {

    private final Map<String, List<String>> edges;
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<String, Integer> low = new HashMap<>();
    private final Deque<String> stack = new ArrayDeque<>();
    private final java.util.Set<String> onStack = new java.util.HashSet<>();
    private final List<List<String>> cycles = new ArrayList<>();
    private int next;

    private Cycles(Map<String, List<String>> edges) {
        this.edges = edges;
    }

    /** Each cycle of the graph given as node to its successors; successors not in the map are ignored. */
    static List<List<String>> of(Map<String, List<String>> edges) {
        Cycles c = new Cycles(new TreeMap<>(edges));
        for (String node : c.edges.keySet()) {
            if (!c.index.containsKey(node)) {
                c.visit(node);
            }
        }
        return c.cycles;
    }

    private List<String> successors(String node) {
        return edges.getOrDefault(node, List.of()).stream().filter(edges::containsKey).toList();
    }

    private void visit(String root) {
        Deque<Object[]> work = new ArrayDeque<>();
        enter(root);
        work.push(new Object[] {root, successors(root).iterator()});
        while (!work.isEmpty()) {
            Object[] frame = work.peek();
            String node = (String) frame[0];
            @SuppressWarnings("unchecked")
            java.util.Iterator<String> it = (java.util.Iterator<String>) frame[1];
            if (it.hasNext()) {
                String succ = it.next();
                if (!index.containsKey(succ)) {
                    enter(succ);
                    work.push(new Object[] {succ, successors(succ).iterator()});
                } else if (onStack.contains(succ)) {
                    low.put(node, Math.min(low.get(node), index.get(succ)));
                }
                continue;
            }
            work.pop();
            if (!work.isEmpty()) {
                String parent = (String) work.peek()[0];
                low.put(parent, Math.min(low.get(parent), low.get(node)));
            }
            if (low.get(node).equals(index.get(node))) {
                List<String> component = new ArrayList<>();
                String member;
                do {
                    member = stack.pop();
                    onStack.remove(member);
                    component.add(member);
                } while (!member.equals(node));
                if (component.size() > 1 || successors(node).contains(node)) {
                    java.util.Collections.sort(component);
                    cycles.add(component);
                }
            }
        }
    }

    private void enter(String node) {
        index.put(node, next);
        low.put(node, next);
        next++;
        stack.push(node);
        onStack.add(node);
    }
}
