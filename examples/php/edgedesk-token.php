<?php
/**
 * Signs an Edgedesk embed token (an HS256 JWT) for the logged-in client. Standard library only:
 * hash_hmac, json_encode, base64_encode. Include it from your panel's backend; never sign in the
 * browser (the secret would be anyone's).
 *
 *   $client   = ['id' => 1001, 'email' => 'alice@example.com', 'name' => 'Alice Moreno'];
 *   $services = edgedesk_services_from_products($products);   // WHMCS GetClientsProducts rows
 *   $token    = edgedesk_embed_token($client, $services, 'acme', 'acme-2026-01', $secret);
 */

declare(strict_types=1);

function edgedesk_base64url(string $bytes): string
{
    return rtrim(strtr(base64_encode($bytes), '+/', '-_'), '=');
}

/**
 * @param array{id: int|string, email: string, name: string} $client the logged-in client
 * @param list<array{id: string, label: string, host?: string}> $services what they may file about
 * @param string $tenant your Edgedesk tenant id (the token's `iss`)
 * @param string $kid    the id of the embed secret (the header's `kid`; see "Key rotation")
 * @param string $secret that embed secret
 * @param int    $ttl    seconds the token lives; short (the widget asks for a new one when it expires)
 */
function edgedesk_embed_token(array $client, array $services, string $tenant, string $kid, string $secret, int $ttl = 600): string
{
    $now = time();
    $header = ['alg' => 'HS256', 'typ' => 'JWT', 'kid' => $kid];
    $claims = [
        'iss' => $tenant,
        'aud' => 'edgedesk',
        'sub' => (string) $client['id'],
        'email' => $client['email'],
        'name' => $client['name'],
        'role' => 'customer',
        'services' => array_values($services),
        'iat' => $now,
        'exp' => $now + $ttl,
    ];
    $flags = JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_THROW_ON_ERROR;
    $signed = edgedesk_base64url(json_encode($header, $flags)) . '.' . edgedesk_base64url(json_encode($claims, $flags));
    return $signed . '.' . edgedesk_base64url(hash_hmac('sha256', $signed, $secret, true));
}

/**
 * A billing system's products as the token's `services`: WHMCS's GetClientsProducts rows
 * (`id`, `name`, `domain`, `dedicatedip`, `status`), active ones only. `id` is what a ticket's
 * `serviceId` names, `label` what the customer picks from, `host` the domain (else the dedicated IP).
 *
 * @param list<array<string, mixed>> $products
 * @return list<array{id: string, label: string, host?: string}>
 */
function edgedesk_services_from_products(array $products): array
{
    $services = [];
    foreach ($products as $product) {
        if (($product['status'] ?? 'Active') !== 'Active') {
            continue;
        }
        $domain = trim((string) ($product['domain'] ?? ''));
        $host = $domain !== '' ? $domain : trim((string) ($product['dedicatedip'] ?? ''));
        $service = [
            'id' => (string) $product['id'],
            'label' => $product['name'] . ($domain !== '' ? " — $domain" : ''),
        ];
        if ($host !== '') {
            $service['host'] = $host;
        }
        $services[] = $service;
    }
    return $services;
}

/** The tenant, key id and secret from the environment (EDGEDESK_TENANT, EDGEDESK_KID, EDGEDESK_EMBED_SECRET). */
function edgedesk_settings(): array
{
    $settings = [];
    foreach (['tenant' => 'EDGEDESK_TENANT', 'kid' => 'EDGEDESK_KID', 'secret' => 'EDGEDESK_EMBED_SECRET'] as $key => $name) {
        $value = getenv($name);
        if ($value === false || $value === '') {
            throw new RuntimeException("$name is not set");
        }
        $settings[$key] = $value;
    }
    return $settings;
}
