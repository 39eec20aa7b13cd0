SELECT useridentity.sessioncontext.attributes.mfaauthenticated, try_cast(x AS int) FROM t -- a.b
