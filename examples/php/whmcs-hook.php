<?php
/**
 * WHMCS: signs an Edgedesk embed token on every client-area page for the logged-in client, with
 * their active products as `services`, and hands it to the templates as {$edgedeskToken}.
 *
 * Install: copy this file and edgedesk-token.php to includes/hooks/ (WHMCS loads every .php there),
 * and set EDGEDESK_TENANT, EDGEDESK_KID and EDGEDESK_EMBED_SECRET in the web server's environment
 * (or replace edgedesk_settings() with your own configuration). Then, in the template:
 *
 *   {if $edgedeskToken}
 *     <script type="module" src="https://desk.example.com/widget/edgedesk.js"></script>
 *     <edgedesk-tickets api="https://desk.example.com" tenant="acme" token="{$edgedeskToken}"></edgedesk-tickets>
 *   {/if}
 *
 * The token lives 10 minutes; a widget left open longer needs a tokenProvider that fetches a
 * fresh one (a small client-area page that echoes the same token, like panel-page.php's `?token`).
 */

use WHMCS\Authentication\CurrentUser;

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

require_once __DIR__ . '/edgedesk-token.php';

add_hook('ClientAreaPage', 1, function (array $vars) {
    $client = (new CurrentUser())->client();
    if (!$client) {
        return [];   // not logged in (or no client account chosen): the widget runs as a guest, or not at all
    }
    try {
        $settings = edgedesk_settings();
    } catch (RuntimeException $e) {
        logActivity('Edgedesk: ' . $e->getMessage());   // a missing setting must not break the client area
        return [];
    }
    $products = localAPI('GetClientsProducts', ['clientid' => $client->id, 'limitnum' => 200]);
    $rows = ($products['result'] ?? '') === 'success' ? ($products['products']['product'] ?? []) : [];
    $token = edgedesk_embed_token(
        ['id' => $client->id, 'email' => $client->email, 'name' => trim($client->firstname . ' ' . $client->lastname)],
        edgedesk_services_from_products($rows),
        $settings['tenant'],
        $settings['kid'],
        $settings['secret'],
    );
    return ['edgedeskToken' => $token];
});
