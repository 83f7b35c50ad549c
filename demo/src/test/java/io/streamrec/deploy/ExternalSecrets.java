package io.streamrec.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Secrets the Kubernetes manifests expect to exist, read from the {@code kubectl create secret generic} commands
 * that k8s/README.md documents: none is committed, so these commands are the contract the pods are checked
 * against. Each Secret's keys map to the literal value of {@code --from-literal=KEY=VALUE}, or to an empty text
 * for {@code --from-file=KEY=PATH} (a file of yours). Stateless.
 */
final class ExternalSecrets {

    private ExternalSecrets() {
    }

    /** The documented Secrets by name, each with its keys. */
    static Map<String, Map<String, String>> documented() {
        return parse(Project.read(Project.file("k8s/README.md")));
    }

    static Map<String, Map<String, String>> parse(String markdown) {
        Map<String, Map<String, String>> secrets = new LinkedHashMap<>();
        for (String line : markdown.split("\n")) {
            List<String> words = words(line.strip());
            int create = words.indexOf("create");
            if (words.isEmpty() || !words.get(0).equals("kubectl") || create < 0 || create + 3 >= words.size()
                    || !words.get(create + 1).equals("secret") || !words.get(create + 2).equals("generic")) {
                continue;
            }
            Map<String, String> keys = secrets.computeIfAbsent(words.get(create + 3), name -> new LinkedHashMap<>());
            for (String word : words) {
                if (word.startsWith("--from-literal=")) {
                    String[] keyValue = word.substring("--from-literal=".length()).split("=", 2);
                    keys.put(keyValue[0], keyValue.length > 1 ? keyValue[1] : "");
                } else if (word.startsWith("--from-file=")) {
                    String source = word.substring("--from-file=".length());
                    String key = source.contains("=") ? source.substring(0, source.indexOf('='))
                            : source.substring(source.lastIndexOf('/') + 1);
                    keys.put(key, "");
                }
            }
        }
        return secrets;
    }

    /** Shell words: blanks separate, single and double quotes group (no escapes), {@code #} starts a comment. */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '#' && !inWord) {
                break;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
