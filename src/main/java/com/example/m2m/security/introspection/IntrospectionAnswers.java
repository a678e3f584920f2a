package com.example.m2m.security.introspection;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.example.m2m.security.IssuerTenants;
import com.example.m2m.security.QuarkusOidc;

import io.quarkus.arc.Unremovable;
import io.quarkus.oidc.common.OidcEndpoint;
import io.quarkus.oidc.common.OidcResponseFilter;
import io.smallrye.mutiny.Uni;

/**
 * What each issuer's introspection endpoint answered last, for the log and readiness: an operator must learn that the
 * issuer refuses the service's own credentials (a wrong {@code INTROSPECTION_CLIENT_SECRET}) from one line and from
 * readiness, not from one ERROR per request. A change of answer is logged once (refused, failing, fine again); the
 * settings are named, never their values. Quarkus' own line per failed call is turned off in application.properties.
 */
@Unremovable // nothing injects it as a filter: Quarkus OIDC looks it up when it calls the issuer
@ApplicationScoped
@OidcEndpoint(OidcEndpoint.Type.INTROSPECTION)
public class IntrospectionAnswers implements OidcResponseFilter {

    private static final Logger LOG = Logger.getLogger(IntrospectionAnswers.class);

    static final String NOT_ASKED = "not asked yet";

    /** By issuer URL (as listed): the last answer, in a few words. */
    private final Map<String, String> last = new ConcurrentHashMap<>();

    @Inject
    IssuerTenants issuers;

    @Override
    public Uni<Void> filter(OidcResponseFilterContext context) {
        answered(issuers.urlOfTenant(QuarkusOidc.tenantOf(context.requestProperties())), context.statusCode());
        return Uni.createFrom().voidItem();
    }

    /** The issuer's last introspection answer, in a few words ({@code HTTP 200}, or why it is not), for readiness. */
    public String lastAnswer(String issuer) {
        return last.getOrDefault(issuer, NOT_ASKED);
    }

    void answered(String issuer, int status) {
        String answer = describe(status);
        String previous = last.put(issuer, answer);
        if (answer.equals(previous)) {
            return;
        }
        if (refusedCredentials(status)) {
            LOG.warnf("The issuer %s refused the service's introspection credentials (HTTP %d): check"
                    + " INTROSPECTION_CLIENT_ID and INTROSPECTION_CLIENT_SECRET; tokens that need introspection are"
                    + " refused (issuer_unavailable) until it accepts them", issuer, status);
        } else if (status / 100 != 2) {
            LOG.warnf("The issuer %s's introspection endpoint answers HTTP %d: tokens that need introspection are"
                    + " refused (issuer_unavailable) until it answers", issuer, status);
        } else if (previous != null && previous.contains("INTROSPECTION_CLIENT_SECRET")) {
            LOG.infof("The issuer %s accepts the service's introspection credentials again", issuer);
        } else if (previous != null) {
            LOG.infof("The issuer %s's introspection endpoint answers again", issuer);
        }
    }

    /** RFC 7662 section 2.1: the endpoint authenticates the caller; 401 or 403 is a refusal of the service's client. */
    private static boolean refusedCredentials(int status) {
        return status == 401 || status == 403;
    }

    static String describe(int status) {
        return refusedCredentials(status) ? "HTTP " + status + ": the issuer refused the service's credentials"
                + " (INTROSPECTION_CLIENT_ID / INTROSPECTION_CLIENT_SECRET)" : "HTTP " + status;
    }
}
