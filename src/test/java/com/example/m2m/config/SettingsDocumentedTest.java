package com.example.m2m.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** The README's settings table is the {@link Setting} list, row for row: its defaults and rules cannot drift. */
class SettingsDocumentedTest {

    static String table() {
        StringBuilder table = new StringBuilder("""
                | setting | default | meaning | a bad value |
                |---|---|---|---|
                """);
        for (Setting setting : Setting.values()) {
            boolean anyText = setting.kind == Setting.Kind.TEXT || setting.kind == Setting.Kind.SECRET;
            table.append("| `").append(setting.name()).append("` | ").append(setting.defaultValue).append(" | ")
                    .append(setting.meaning).append(" | ")
                    .append(anyText ? "(any text is taken)" : "stops start-up with one line: " + setting.name()
                            + " must be " + setting.kind.rule)
                    .append(" |\n");
        }
        return table.toString();
    }

    @Test
    void theReadmeHasTheTable() throws Exception {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        assertTrue(readme.contains(table()), "README.md should contain exactly this table:\n" + table());
    }
}
