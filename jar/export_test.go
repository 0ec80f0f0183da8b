package jar

// Bridge for the external tests: the fuzz targets check their invariants
// on canonical host names and give net/http/cookiejar the expiry the jar
// reads, and the cookie-date table checks the parser on its own.
var (
	CanonicalHost   = canonicalHost
	ExpiresOf       = expiresOf
	ExpiryOf        = expiryOf
	FileDomainOK    = fileDomainOK
	MaxExpires      = maxExpires
	ParseCookieDate = parseCookieDate
)

// StoreUnchecked stores c as it is, bypassing every check, so that tests
// can give Save a cookie no method of the jar would store.
func (j *Jar) StoreUnchecked(c Cookie) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.store(jarKey(c.Domain, j.list()), &entry{Cookie: c}, j.clock())
}
