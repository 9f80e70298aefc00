module example.com/edgedesk-token

go 1.19
