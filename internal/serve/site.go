package serve

import (
	"io"
	"io/fs"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path"
	"strings"
	"time"

	"github.com/payoke/site/internal/headers"
)

// NewHandler serves the built site in dir the way Netlify serves public/:
// the routes of netlify.toml in order (functions, language redirect, pages
// not found), pretty URLs, and the headers of netlify.toml on every response,
// the redirect from an unclean path (cleanPaths) and the 405 for a page
// posted to (pagesReadOnly) included; withHeaders adds them to net/http's own.
// functions maps a function's name to its handler, mounted at /api/<name>.
func NewHandler(dir string, routes []Route, hdrs *headers.Set, functions map[string]http.Handler, logger *slog.Logger) http.Handler {
	api := make(map[string]http.Handler, len(functions))
	for name, h := range functions {
		// The same wrapper the deployed functions use.
		api[name] = hdrs.API(h)
	}
	s := &siteHandler{files: os.DirFS(dir), routes: routes, hdrs: hdrs, api: api, logger: logger}
	return cleanPaths(pagesReadOnly(s, routes, hdrs), hdrs)
}

// cleanPaths sends a request for an unclean path (//nl/, /nl/../en/,
// /nl/./) to the clean one before the site sees it, as http.ServeMux would
// (and with its status, 307), but with the headers netlify.toml gives the
// clean path: a ServeMux answers these itself, without them. A request for
// "*" (OPTIONS * and the like) is not one for a page: 400, with the headers
// of "/", where a ServeMux gives a bare 400 and net/http's own OPTIONS *
// handler a bare 200 (newServer turns that one off).
func cleanPaths(next http.Handler, hdrs *headers.Set) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.RequestURI == "*" {
			copyHeaders(w, hdrs.For("/"))
			w.Header().Set("Connection", "close")
			http.Error(w, "bad request: no page is asked for", http.StatusBadRequest)
			return
		}
		p := r.URL.Path
		if p == "" || p[0] != '/' {
			p = "/" + p
		}
		clean := path.Clean(p)
		if strings.HasSuffix(p, "/") && clean != "/" {
			clean += "/"
		}
		if clean != r.URL.Path {
			copyHeaders(w, hdrs.For(clean))
			if w.Header().Get("Cache-Control") == "" {
				w.Header().Set("Cache-Control", headers.DefaultCacheControl)
			}
			u := url.URL{Path: clean, RawQuery: r.URL.RawQuery}
			http.Redirect(w, r, u.String(), http.StatusTemporaryRedirect)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func copyHeaders(w http.ResponseWriter, h http.Header) {
	for name, values := range h {
		w.Header()[name] = values
	}
}

type siteHandler struct {
	files  fs.FS
	routes []Route
	hdrs   *headers.Set
	api    map[string]http.Handler
	logger *slog.Logger
}

func (s *siteHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	file, isDir := s.lookup(p)
	exists := file != "" || isDir
	for _, route := range s.routes {
		splat, ok := route.match(p)
		if !ok || !route.accepts(r) || (exists && !route.Force) {
			continue
		}
		to := route.target(splat)
		switch {
		case route.Status == http.StatusOK && strings.HasPrefix(to, functionsPrefix):
			s.function(w, r, strings.TrimPrefix(to, functionsPrefix))
		case route.Status == http.StatusOK:
			s.file(w, r, to, strings.TrimPrefix(to, "/"), http.StatusOK)
		case route.Status == http.StatusNotFound:
			s.file(w, r, to, strings.TrimPrefix(to, "/"), http.StatusNotFound)
		default:
			s.setHeaders(w, p)
			http.Redirect(w, r, to, route.Status)
		}
		return
	}
	switch {
	case isDir:
		s.setHeaders(w, p)
		target := p + "/"
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, target, http.StatusMovedPermanently)
	case file != "":
		s.file(w, r, p, file, http.StatusOK)
	default:
		s.setHeaders(w, p)
		http.NotFound(w, r)
	}
}

// lookup finds the file for a URL path: the file itself, or index.html in
// a folder. isDir is true for a folder asked for without its final slash.
func (s *siteHandler) lookup(p string) (file string, isDir bool) {
	name := strings.TrimPrefix(p, "/")
	if name == "" || strings.HasSuffix(name, "/") {
		name += "index.html"
	}
	if !fs.ValidPath(name) {
		return "", false
	}
	info, err := fs.Stat(s.files, name)
	if err != nil {
		return "", false
	}
	if info.IsDir() {
		_, err := fs.Stat(s.files, path.Join(name, "index.html"))
		return "", err == nil
	}
	return name, false
}

func (s *siteHandler) setHeaders(w http.ResponseWriter, p string) {
	for name, values := range s.hdrs.For(p) {
		w.Header()[name] = values
	}
	// Netlify's own default for files no rule gives a Cache-Control.
	if w.Header().Get("Cache-Control") == "" {
		w.Header().Set("Cache-Control", headers.DefaultCacheControl)
	}
}

// file answers with a file of the site, with the headers of path p: the
// path asked for, or for a rewrite its target (the file served), as Netlify
// Dev matches [[headers]] (tests/netlify), so a 404 anywhere gets the page
// policy of the 404 page it shows.
func (s *siteHandler) file(w http.ResponseWriter, r *http.Request, p, name string, status int) {
	s.setHeaders(w, p)
	f, err := s.files.Open(name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || info.IsDir() {
		http.NotFound(w, r)
		return
	}
	if status == http.StatusOK {
		if rs, ok := f.(io.ReadSeeker); ok {
			http.ServeContent(w, r, name, info.ModTime(), rs)
			return
		}
	}
	if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
		w.Header().Set("Content-Type", ct)
	}
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		io.Copy(w, f)
	}
}

// function hands the request to a function, as Netlify does after its
// /api/* rewrite. Only the method, path, status and time are logged.
func (s *siteHandler) function(w http.ResponseWriter, r *http.Request, name string) {
	h, ok := s.api[name]
	if !ok {
		s.setHeaders(w, r.URL.Path)
		http.NotFound(w, r)
		return
	}
	start := time.Now()
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	h.ServeHTTP(rec, r)
	s.logger.Info("function", "name", name, "method", r.Method, "status", rec.status, "duration", time.Since(start).Round(time.Millisecond))
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
