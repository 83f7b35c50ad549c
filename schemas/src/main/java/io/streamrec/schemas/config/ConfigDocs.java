package io.streamrec.schemas.config;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Renders a {@link ConfigDef} for people: a plain-text listing for {@code --describe-config} and a Markdown
 * table for docs/configuration.md, so the documentation of every key comes from the code that defines it.
 */
public final class ConfigDocs {

    private ConfigDocs() {
    }

    /** Key, type, default and meaning, one key per paragraph, sorted by name. */
    public static String text(ConfigDef definition) {
        StringBuilder text = new StringBuilder();
        for (ConfigDef.ConfigKey key : sorted(definition)) {
            text.append(key.name).append(" (").append(type(key)).append(", default ").append(defaultValue(key))
                    .append(", env ").append(ConfigSources.environmentVariableOf(key.name)).append(")\n    ")
                    .append(key.documentation).append('\n');
        }
        return text.toString();
    }

    /** A Markdown table: key, default, meaning. */
    public static String markdown(ConfigDef definition) {
        StringBuilder table = new StringBuilder("| key | type | default | meaning |\n|---|---|---|---|\n");
        for (ConfigDef.ConfigKey key : sorted(definition)) {
            table.append("| `").append(key.name).append("` | ").append(type(key)).append(" | `")
                    .append(defaultValue(key)).append("` | ")
                    .append(key.documentation.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
                            .replace("\n", " ")).append(" |\n");
        }
        return table.toString();
    }

    private static List<ConfigDef.ConfigKey> sorted(ConfigDef definition) {
        return definition.configKeys().values().stream()
                .sorted(Comparator.comparing(key -> key.name))
                .toList();
    }

    private static String type(ConfigDef.ConfigKey key) {
        return key.type.name().toLowerCase(Locale.ROOT);
    }

    private static String defaultValue(ConfigDef.ConfigKey key) {
        if (!key.hasDefault()) {
            return "(required)";
        }
        if (key.type == ConfigDef.Type.PASSWORD) {
            return "\"\"";
        }
        Object value = key.defaultValue;
        if (value instanceof List<?> list) {
            return String.join(",", list.stream().map(String::valueOf).toList());
        }
        return String.valueOf(value);
    }
}
