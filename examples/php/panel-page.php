<?php
/**
 * A plain PHP panel's side of the embed: the page with the widget, and the endpoint its
 * tokenProvider calls (`?token`), which signs a token for the logged-in client.
 *
 *   EDGEDESK_TENANT=demo EDGEDESK_KID=northwind-1 EDGEDESK_EMBED_SECRET=… \
 *     php examples/php/panel-page.php [sub email name]      # prints a token
 *   php -S 127.0.0.1:8080 examples/php/panel-page.php      # serves the page
 *
 * Served, the page's origin must be one of the tenant's `allowedOrigins` (docs/api.md, CORS), and
 * EDGEDESK_API names the Worker (default http://127.0.0.1:8787, `npm start`'s).
 */

declare(strict_types=1);

require __DIR__ . '/edgedesk-token.php';

/** Your panel's session user and their billing products; a sample here (CLI arguments override the client). */
function current_client(array $argv): array
{
    return [
        'id' => $argv[1] ?? '1001',
        'email' => $argv[2] ?? 'alice@example.com',
        'name' => $argv[3] ?? 'Alice Moreno',
        'products' => [
            ['id' => 1042, 'name' => 'Business Web Hosting', 'domain' => 'example.com', 'dedicatedip' => '', 'status' => 'Active'],
            ['id' => 1043, 'name' => 'VPS 4 GB', 'domain' => '', 'dedicatedip' => '203.0.113.17', 'status' => 'Active'],
            ['id' => 1007, 'name' => 'Starter Hosting', 'domain' => 'old.example', 'dedicatedip' => '', 'status' => 'Cancelled'],
        ],
    ];
}

function sign_for(array $client): string
{
    $s = edgedesk_settings();
    return edgedesk_embed_token($client, edgedesk_services_from_products($client['products']), $s['tenant'], $s['kid'], $s['secret']);
}

if (PHP_SAPI === 'cli') {
    try {
        echo sign_for(current_client($argv)), "\n";
    } catch (RuntimeException $e) {
        fwrite(STDERR, $e->getMessage() . "\n");
        exit(2);
    }
    return;
}

// In a real panel: refuse unless logged in, and take the client from the session, never from the request.
if (isset($_GET['token'])) {
    header('Content-Type: text/plain; charset=utf-8');
    header('Cache-Control: no-store');
    echo sign_for(current_client([]));
    return;
}
$api = htmlspecialchars(getenv('EDGEDESK_API') ?: 'http://127.0.0.1:8787', ENT_QUOTES);
$tenant = htmlspecialchars(edgedesk_settings()['tenant'], ENT_QUOTES);
?>
<!doctype html>
<title>Support</title>
<script type="module" src="<?= $api ?>/widget/edgedesk.js"></script>
<edgedesk-tickets api="<?= $api ?>" tenant="<?= $tenant ?>"></edgedesk-tickets>
<script>
  document.querySelector("edgedesk-tickets").tokenProvider = async () => (await fetch("?token")).text();
</script>
