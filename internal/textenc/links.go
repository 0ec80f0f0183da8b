package textenc

import "strings"

// linkStripChars is parse_header_links' replace_chars.
const linkStripChars = " '\""

// Link is one value of requests' r.links.
type Link struct {
	// URL is the target, Params["url"].
	URL string
	// Rel is Params["rel"], "" when the link has no rel parameter.
	Rel string
	// Params is the dict requests builds for the link: "url" and every
	// parameter parsed before the first malformed one, with names and values
	// stripped of spaces and quotes but otherwise kept as sent (names are
	// not lower-cased, so "REL=next" is stored under "REL"). A parameter
	// named "url" replaces the target, as in requests.
	Params map[string]string
}

// ParseLinks parses a Link header value as requests.utils.parse_header_links
// does and keys the links as r.links does: by the rel parameter, or by the
// URL when rel is absent or empty; a later link replaces an earlier one with
// the same key. The result is never nil; it is empty for an empty header.
//
// Parsing is requests', not RFC 8288's: links are split at every ", <"
// (a comma, any number of spaces, "<"), even inside a URL or a quoted string;
// the parameters are split at ";" and each must hold exactly one "="; the
// first that does not ends the link's parameters (so a value containing "="
// or a parameter without a value drops the rest).
//
// When a response has several Link fields, pass them joined with ", ",
// which is the value requests sees.
func ParseLinks(header string) map[string]Link {
	links := make(map[string]Link)
	value := strings.Trim(header, linkStripChars)
	if value == "" {
		return links
	}
	for {
		val, rest, more := cutLink(value)
		target, params, _ := strings.Cut(val, ";")
		dict := map[string]string{"url": strings.Trim(target, "<> '\"")}
		for _, param := range strings.Split(params, ";") {
			key, v, ok := strings.Cut(param, "=")
			if !ok || strings.Contains(v, "=") {
				break
			}
			dict[strings.Trim(key, linkStripChars)] = strings.Trim(v, linkStripChars)
		}
		key := dict["rel"]
		if key == "" {
			key = dict["url"]
		}
		links[key] = Link{URL: dict["url"], Rel: dict["rel"], Params: dict}
		if !more {
			return links
		}
		value = rest
	}
}

// cutLink splits s at the first match of the regular expression ", *<"
// (re.split in parse_header_links), returning the text before the match and
// the text after it; found is false when there is no match.
func cutLink(s string) (first, rest string, found bool) {
	for i := 0; i < len(s); i++ {
		if s[i] != ',' {
			continue
		}
		j := i + 1
		for j < len(s) && s[j] == ' ' {
			j++
		}
		if j < len(s) && s[j] == '<' {
			return s[:i], s[j+1:], true
		}
	}
	return s, "", false
}
