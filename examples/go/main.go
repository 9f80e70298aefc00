// Command edgedesk-token signs an Edgedesk embed token (an HS256 JWT) for the logged-in client,
// with the standard library only.
//
//	EDGEDESK_TENANT=demo EDGEDESK_KID=northwind-1 EDGEDESK_EMBED_SECRET=... \
//	  go run ./examples/go [sub email name]
//
// In a panel, call EmbedToken in the handler behind the widget's tokenProvider, with the client
// from your session; never in the browser (the secret would be anyone's).
package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// Client is the logged-in client as the panel knows them.
type Client struct {
	ID, Email, Name string
}

// Service is one of the client's hosting services: what a ticket's serviceId may name.
type Service struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	Host  string `json:"host,omitempty"`
}

// Product is a billing product as WHMCS's GetClientsProducts lists it (the fields used here).
type Product struct {
	ID                                int
	Name, Domain, DedicatedIP, Status string
}

type header struct {
	Alg string `json:"alg"`
	Typ string `json:"typ"`
	Kid string `json:"kid"`
}

type claims struct {
	Iss      string    `json:"iss"`
	Aud      string    `json:"aud"`
	Sub      string    `json:"sub"`
	Email    string    `json:"email"`
	Name     string    `json:"name"`
	Role     string    `json:"role"`
	Services []Service `json:"services"`
	Iat      int64     `json:"iat"`
	Exp      int64     `json:"exp"`
}

func b64url(data []byte) string { return base64.RawURLEncoding.EncodeToString(data) }

// EmbedToken signs the token for client and their services with the tenant's secret under kid.
func EmbedToken(client Client, services []Service, tenant, kid, secret string, ttl time.Duration) (string, error) {
	now := time.Now().Unix()
	if services == nil {
		services = []Service{}
	}
	head, err := json.Marshal(header{Alg: "HS256", Typ: "JWT", Kid: kid})
	if err != nil {
		return "", err
	}
	body, err := json.Marshal(claims{
		Iss: tenant, Aud: "edgedesk", Sub: client.ID, Email: client.Email, Name: client.Name,
		Role: "customer", Services: services, Iat: now, Exp: now + int64(ttl/time.Second),
	})
	if err != nil {
		return "", err
	}
	signed := b64url(head) + "." + b64url(body)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(signed))
	return signed + "." + b64url(mac.Sum(nil)), nil
}

// ServicesFromProducts maps active billing products to services: host is the domain, else the dedicated IP.
func ServicesFromProducts(products []Product) []Service {
	services := []Service{}
	for _, p := range products {
		if p.Status != "Active" {
			continue
		}
		domain := strings.TrimSpace(p.Domain)
		s := Service{ID: strconv.Itoa(p.ID), Label: p.Name, Host: domain}
		if domain != "" {
			s.Label = p.Name + " — " + domain
		} else {
			s.Host = strings.TrimSpace(p.DedicatedIP)
		}
		services = append(services, s)
	}
	return services
}

// sampleProducts stands in for the client's products; your panel takes them from its billing system.
var sampleProducts = []Product{
	{ID: 1042, Name: "Business Web Hosting", Domain: "example.com", Status: "Active"},
	{ID: 1043, Name: "VPS 4 GB", DedicatedIP: "203.0.113.17", Status: "Active"},
	{ID: 1007, Name: "Starter Hosting", Domain: "old.example", Status: "Cancelled"},
}

func main() {
	settings := map[string]string{}
	for _, name := range []string{"EDGEDESK_TENANT", "EDGEDESK_KID", "EDGEDESK_EMBED_SECRET"} {
		settings[name] = os.Getenv(name)
		if settings[name] == "" {
			fmt.Fprintln(os.Stderr, name+" is not set")
			os.Exit(2)
		}
	}
	args := []string{"1001", "alice@example.com", "Alice Moreno"} // the sample client, unless given
	copy(args, os.Args[1:])
	client := Client{ID: args[0], Email: args[1], Name: args[2]}
	token, err := EmbedToken(client, ServicesFromProducts(sampleProducts),
		settings["EDGEDESK_TENANT"], settings["EDGEDESK_KID"], settings["EDGEDESK_EMBED_SECRET"], 10*time.Minute)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(token)
}
