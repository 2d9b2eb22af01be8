vcl 4.1;
# Varnish 7 in front of Newsroom's gunicorn (docs/production.md). Needs the xkey vmod
# (Debian: varnish-modules). tests/test_edge_varnish.py runs this very file, with the
# backend's port changed to its own server's.

import xkey;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
}

# Who may purge: the app servers (ARTICLES_VARNISH_PURGE_URLS points here).
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "Purge by key only: send xkey-purge"));
        }
        # Space-separated keys; every cached object carrying one of them goes.
        set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.n-gone + " objects"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Editors (a session), anything with credentials and the admin go to Django.
    if (req.url ~ "^/admin/" || req.http.Authorization || req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # Public pages are the same for every reader: other cookies do not matter to them.
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    # Cache only what the app marked shareable (``s-maxage``, cut short by the app so it
    # ends at the next embargo, expiry or rights end). Errors, previews and the admin
    # carry none and are never kept; nor is anything setting a cookie.
    if (beresp.http.Cache-Control !~ "s-maxage" || beresp.ttl <= 0s || beresp.http.Set-Cookie) {
        set beresp.ttl = 0s;
        set beresp.grace = 0s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    # No stale copies: past its s-maxage a page may show a story that has expired or a
    # photo whose rights have ended.
    set beresp.grace = 0s;
    set beresp.keep = 0s;
    return (deliver);
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "hit";
    } else {
        set resp.http.X-Cache = "miss";
    }
    # The keys are for this Varnish only.
    unset resp.http.xkey;
}
