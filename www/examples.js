// The examples menu: each one is the editor's text, plus the call type for HTTP bodies without
// "type", and the Mappings / Tracking plan panels' texts for those that show the settings.
// The first one is what the page opens with.

const json = (value) => JSON.stringify(value, null, 2);

export const EXAMPLES = [
  {
    id: "identify",
    group: "Valid",
    label: "identify: a user signs up",
    text: json({
      type: "identify",
      userId: "97980cfea0067",
      traits: {
        name: "Peter Gibbons",
        email: "peter@example.com",
        plan: "premium",
        logins: 5,
        createdAt: "2024-03-18T09:15:00.000Z",
      },
      timestamp: "2024-05-12T09:30:00.000Z",
      messageId: "ajs-next-3b5f1a2e9c7d",
    }),
  },
  {
    id: "group",
    group: "Valid",
    label: "group: a user joins an account",
    text: json({
      type: "group",
      userId: "97980cfea0067",
      groupId: "acct_initech",
      traits: {
        name: "Initech",
        industry: "Technology",
        employees: 329,
        plan: "enterprise",
      },
      timestamp: "2024-05-12T09:31:00.000Z",
    }),
  },
  {
    id: "track",
    group: "Valid",
    label: "track: an order is completed",
    text: json({
      type: "track",
      userId: "97980cfea0067",
      event: "Order Completed",
      properties: {
        order_id: "50314b8e9bcf000000000000",
        revenue: 25.0,
        currency: "USD",
        products: [{ sku: "45790-32", name: "Monopoly: 3rd Edition", price: 19, quantity: 1 }],
      },
      timestamp: "2024-05-12T09:32:00.000Z",
    }),
  },
  {
    id: "b2b-track",
    group: "Valid",
    label: "track (B2B): event tied to an account via context.groupId",
    text: json({
      type: "track",
      userId: "97980cfea0067",
      event: "Report Exported",
      properties: { format: "csv", rows: 1200 },
      context: { groupId: "acct_initech" },
      timestamp: "2024-05-12T09:33:00.000Z",
    }),
  },
  {
    id: "batch",
    group: "Valid",
    label: "batch: five calls, one broken",
    text: json({
      batch: [
        { type: "identify", userId: "u_1", traits: { email: "ada@example.com" } },
        { type: "group", userId: "u_1", groupId: "acct_1", traits: { name: "Analytical Engines" } },
        { type: "track", userId: "u_1", event: "Plan Upgraded", context: { groupId: "acct_1" } },
        { type: "page", userId: "u_1", name: "Pricing" },
        { type: "track", userId: "u_1", properties: { plan: "pro" } },
      ],
      sentAt: "2024-05-12T09:34:00.000Z",
    }),
  },
  {
    id: "http-body",
    group: "Valid",
    label: "HTTP body of /v1/track (no \"type\")",
    type: "track",
    text: json({
      anonymousId: "507f191e810c19729de860ea",
      event: "Signup Started",
      properties: { source: "pricing-page" },
    }),
  },
  {
    id: "custom-mapping",
    group: "Settings",
    label: "custom mapping: lower-case event name, page path as a property",
    mappings: json({
      trackEvent: {
        event: { "@case": { operator: "lower", value: { "@path": "$.event" } } },
        page_path: { "@path": "$.context.page.path" },
      },
    }),
    text: json({
      type: "track",
      userId: "97980cfea0067",
      event: "Order Completed",
      properties: { order_id: "50314b8e9bcf000000000000", revenue: 25.0, currency: "USD" },
      context: { page: { path: "/checkout" } },
    }),
  },
  {
    id: "tracking-plan",
    group: "Settings",
    label: "tracking plan: revenue must be a number (blocking)",
    trackingPlan: json({
      rules: [
        {
          type: "TRACK",
          key: "Order Completed",
          version: 1,
          jsonSchema: {
            $schema: "http://json-schema.org/draft-07/schema#",
            type: "object",
            properties: {
              properties: {
                type: "object",
                required: ["order_id", "revenue"],
                properties: {
                  order_id: { type: "string" },
                  revenue: { type: "number" },
                  currency: { type: "string", pattern: "^[A-Z]{3}$" },
                },
              },
            },
          },
        },
      ],
      unplannedEvents: "warn",
      violations: "block",
    }),
    text: json({
      type: "track",
      userId: "97980cfea0067",
      event: "Order Completed",
      properties: { order_id: "50314b8e9bcf000000000000", revenue: "25.00", currency: "USD" },
    }),
  },
  {
    id: "broken-json",
    group: "Problems",
    label: "broken JSON (a missing comma)",
    text: '{\n  "type": "identify",\n  "userId": "97980cfea0067"\n  "traits": {\n    "email": "peter@example.com"\n  }\n}',
  },
  {
    id: "missing-user",
    group: "Problems",
    label: "identify without userId or anonymousId",
    text: json({ type: "identify", traits: { email: "peter@example.com", plan: "premium" } }),
  },
  {
    id: "bad-timestamp",
    group: "Problems",
    label: "timestamp that is not ISO 8601",
    text: json({
      type: "track",
      userId: "97980cfea0067",
      event: "Order Completed",
      timestamp: "12/05/2024 09:32",
    }),
  },
  {
    id: "numeric-id",
    group: "Problems",
    label: "numeric userId (coerced; an error when strict)",
    text: json({ type: "identify", userId: 12345, traits: { name: "Ada Lovelace" } }),
  },
  {
    id: "page",
    group: "Problems",
    label: "page call (skipped: not supported)",
    text: json({ type: "page", userId: "97980cfea0067", name: "Pricing", properties: { path: "/pricing" } }),
  },
  {
    id: "integrations-off",
    group: "Problems",
    label: "disabled by integrations.Astrolabe",
    text: json({
      type: "track",
      userId: "97980cfea0067",
      event: "Order Completed",
      integrations: { All: true, Astrolabe: false },
    }),
  },
];

export const exampleById = (id) => EXAMPLES.find((example) => example.id === id);
