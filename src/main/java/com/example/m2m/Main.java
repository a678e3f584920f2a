package com.example.m2m;

import com.example.m2m.client.CallCommand;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Runs the service, or with the argument {@code call} the machine caller that the original sample's
 * {@code node test.js} was: {@code java -jar target/quarkus-app/quarkus-run.jar call [path]}.
 */
@QuarkusMain
public class Main {

    public static void main(String... args) {
        if (args.length > 0 && CallCommand.NAME.equals(args[0])) {
            // The caller opens no port of its own (the service it calls may hold 8080 on this machine),
            // turns its OIDC client on (the service itself needs none) and prints only the answer.
            System.setProperty("quarkus.http.host-enabled", "false");
            System.setProperty("quarkus.oidc-client.client-enabled", "true");
            System.setProperty("quarkus.banner.enabled", "false");
            System.setProperty("quarkus.log.level", "WARN");
            System.setProperty("quarkus.log.category.\"io.quarkus.oidc\".level", "ERROR");
            Quarkus.run(CallCommand.class, args);
        } else {
            Quarkus.run(args);
        }
    }
}
