package io.streamrec.demo;

import io.streamrec.schemas.config.ConfigSources;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/** The {@code --app-set KEY=VALUE} options of the commands that start streams-app instances. */
final class AppSettingOptions {

    private AppSettingOptions() {
    }

    /**
     * The settings as text, for an app's command line.
     *
     * @throws ConfigException when one is not {@code KEY=VALUE}
     */
    static Map<String, String> parse(List<String> appSettings) {
        Map<String, String> overrides = new HashMap<>();
        ConfigSources.load(Map.of(), null, Map.of(), appSettings)
                .forEach((key, value) -> overrides.put(key, value.toString()));
        return overrides;
    }
}
