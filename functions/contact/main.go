// Command contact is the /api/contact function on Netlify (see netlify.toml).
package main

import (
	"github.com/payoke/site/internal/contact"
	"github.com/payoke/site/internal/lambdafn"
)

func main() { lambdafn.Main("contact", contact.NewFromEnv) }
