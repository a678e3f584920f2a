package com.example.m2m.check;

/**
 * One line of {@code call --check}: what was checked, what was found (claims and settings side by side, never a
 * token or a secret), and for a failure the setting to change.
 *
 * @param area    what was checked: {@code discovery}, {@code token request}, {@code issuer}, {@code audience}, ...
 * @param status  the verdict
 * @param message what was found, in one line
 * @param setting the setting to change, or null
 * @param fix     what to do about it, in one line naming {@code setting}, or null
 */
public record Finding(String area, Status status, String message, String setting, String fix) {

    public enum Status {
        /** Checked and fine. */
        OK,
        /** Worth knowing, not a reason for a refusal. */
        NOTE,
        /** A refusal or a failure: the caller would not be served because of it. */
        FAIL;

        String label() {
            return switch (this) {
                case OK -> "ok";
                case NOTE -> "note";
                case FAIL -> "FAIL";
            };
        }
    }

    public static Finding ok(String area, String message) {
        return new Finding(area, Status.OK, message, null, null);
    }

    public static Finding note(String area, String message) {
        return new Finding(area, Status.NOTE, message, null, null);
    }

    public static Finding note(String area, String message, String setting, String fix) {
        return new Finding(area, Status.NOTE, message, setting, fix);
    }

    public static Finding fail(String area, String message, String setting, String fix) {
        return new Finding(area, Status.FAIL, message, setting, fix);
    }

    public boolean failed() {
        return status == Status.FAIL;
    }
}
