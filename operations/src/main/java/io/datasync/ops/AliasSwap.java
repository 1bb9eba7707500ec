package io.datasync.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Pure: the one {@code _aliases} request that moves every alias at once, and which indexes no alias serves any more. */
final class AliasSwap {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AliasSwap() {}

    /**
     * Removes each alias from the indexes it points at now and adds it to its new one, all in one
     * request: OpenSearch applies the actions atomically, so a search sees the old indexes or the new
     * ones, never none and never both.
     */
    static String body(Map<String, List<String>> current, Map<String, String> next) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode actions = body.putArray("actions");
        next.forEach((alias, index) -> {
            for (String old : current.getOrDefault(alias, List.of())) {
                actions.addObject().putObject("remove").put("index", old).put("alias", alias);
            }
            actions.addObject().putObject("add").put("index", index).put("alias", alias);
        });
        return body.toString();
    }

    /**
     * The indexes of these aliases that no alias points at: {@code <alias>_v<n>} and its rebuilds
     * among {@code existing}, other than the ones in {@code served}.
     */
    static List<String> unserved(Collection<String> aliases, Collection<String> existing, Set<String> served) {
        List<String> leftovers = new ArrayList<>();
        for (String index : new TreeSet<>(existing)) {
            boolean ours = aliases.stream().anyMatch(alias -> index.matches(java.util.regex.Pattern.quote(alias) + "_v[0-9]+(_.+)?"));
            if (ours && !served.contains(index)) {
                leftovers.add(index);
            }
        }
        return leftovers;
    }
}
