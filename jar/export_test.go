package jar

// Bridge for the external tests: the fuzz targets check their invariants
// on canonical host names and give net/http/cookiejar the expiry the jar
// reads, and the cookie-date table checks the parser on its own.
var (
	CanonicalHost   = canonicalHost
	ExpiresOf       = expiresOf
	ParseCookieDate = parseCookieDate
)
