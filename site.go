// Package site embeds the site's settings, interface strings and the pages
// the functions link to, so the Go functions read the very files Hugo reads:
// a fact is written once.
package site

import "embed"

// Files holds config.toml, i18n/*.toml, netlify.toml (response headers and
// routes) and the content pages the functions link to, for their front
// matter (translationKey and url: internal/web Pages). Only those pages are
// embedded, to keep the functions small; a page a function needs that is
// missing here fails its start, naming the file (web.Pages.Require).
//
//go:embed config.toml i18n netlify.toml layouts/_partials/forms
//go:embed content/*/support.md content/*/donate-thanks.md content/*/manage-gift-sent.md
//go:embed content/*/contact.md content/*/contact-thanks.md
var Files embed.FS
