package org.scimgate.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * PostgreSQL text and jsonb cannot hold NUL (U+0000), nor a lone surrogate (half of a UTF-16 pair,
 * which has no UTF-8 form). A request carrying one is still recorded: in text columns, and in the
 * jsonb copy of the payload, the character is stored as U+FFFD, the replacement character; the
 * payload itself is kept exactly, escaped, in {@code payload_text} (see {@link DecisionRows}). So is
 * a payload holding a number jsonb does not hold as it is ({@link #jsonbHolds}): its jsonb copy has
 * the number's text in its place.
 */
final class DatabaseText {

    private static final char NUL = '\u0000';
    private static final char REPLACEMENT = '\uFFFD';
    /** The most digits a number of a jsonb payload is given, before or after the point. */
    private static final long JSONB_DIGITS = 1000;

    private DatabaseText() {
    }

    static String clean(String s) {
        if (s == null || !needsCleaning(s)) {
            return s;
        }
        StringBuilder clean = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                clean.append(c).append(s.charAt(++i));
            } else {
                clean.append(c == NUL || Character.isSurrogate(c) ? REPLACEMENT : c);
            }
        }
        return clean.toString();
    }

    /** Whether {@code s} holds a NUL or a lone surrogate, which PostgreSQL cannot store. */
    static boolean needsCleaning(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == NUL) {
                return true;
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /** Whether any string or field name in the tree needs cleaning. */
    static boolean needsCleaning(JsonNode node) {
        if (node == null) {
            return false;
        }
        if (node.isTextual()) {
            return needsCleaning(node.textValue());
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (needsCleaning(field.getKey()) || needsCleaning(field.getValue())) {
                return true;
            }
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                if (needsCleaning(element)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether every number in the tree is one its reader held exactly: not an overflow read as infinity. */
    static boolean numbersExact(JsonNode node) {
        if (node == null) {
            return true;
        }
        if (node.isDouble() || node.isFloat()) {
            return Double.isFinite(node.doubleValue());
        }
        for (JsonNode child : node) {
            if (!numbersExact(child)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether jsonb holds every number of the tree as it is, without spelling it out at length:
     * PostgreSQL's numeric refuses more than 16383 digits after the point or about 131072 before it
     * ({@code 1e999999999}, {@code -1e-999999999}), and would write {@code 1e900} as 901 digits. Only
     * precision and scale are read: the number itself is never spelt out nor computed with.
     */
    static boolean jsonbHolds(JsonNode node) {
        if (node == null) {
            return true;
        }
        if (node.isBigDecimal()) {
            BigDecimal n = node.decimalValue();
            long scale = n.scale();
            return scale <= JSONB_DIGITS && (long) n.precision() - scale <= JSONB_DIGITS;
        }
        for (JsonNode child : node) {
            if (!jsonbHolds(child)) {
                return false;
            }
        }
        return true;
    }

    /** A copy of the tree in which every number jsonb does not hold ({@link #jsonbHolds}) is its text, in scientific form. */
    static JsonNode jsonbCopy(JsonNode node) {
        if (node == null || jsonbHolds(node)) {
            return node;
        }
        if (node.isBigDecimal()) {
            return TextNode.valueOf(node.decimalValue().toString());
        }
        if (node instanceof ObjectNode object) {
            ObjectNode copy = object.objectNode();
            object.properties().forEach(field -> copy.set(field.getKey(), jsonbCopy(field.getValue())));
            return copy;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode copy = array.arrayNode(array.size());
            array.forEach(element -> copy.add(jsonbCopy(element)));
            return copy;
        }
        return node;
    }

    /** A copy of the tree with NUL and lone surrogates replaced in every string and field name; the input is left untouched. */
    static JsonNode clean(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isTextual()) {
            return needsCleaning(node.textValue()) ? TextNode.valueOf(clean(node.textValue())) : node;
        }
        if (node instanceof ObjectNode object) {
            ObjectNode copy = object.objectNode();
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(object.properties());
            for (Map.Entry<String, JsonNode> field : fields) {
                copy.set(clean(field.getKey()), clean(field.getValue()));
            }
            return copy;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode copy = array.arrayNode(array.size());
            array.forEach(element -> copy.add(clean(element)));
            return copy;
        }
        return node;
    }
}
