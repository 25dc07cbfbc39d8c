// Drives Sluice's schema registry with Confluent's own JavaScript client, for SchemaRegistryContractIT.
// Usage: node contract.js URL register USER_SCHEMA_JSON
//        node contract.js URL deserialize TOPIC BASE64_PAYLOAD
// Prints one JSON object on stdout; any failure exits non-zero with the error on stderr.
'use strict';
const {
  SchemaRegistryClient,
  AvroSerializer,
  AvroDeserializer,
  SerdeType,
} = require('@confluentinc/schemaregistry');

const [url, command, ...args] = process.argv.slice(2);
const client = new SchemaRegistryClient({ baseURLs: [url] });

function withField(schema, field) {
  const copy = JSON.parse(JSON.stringify(schema));
  copy.fields.push(field);
  return copy;
}

async function refusal(promise) {
  try {
    await promise;
    return null;
  } catch (e) {
    return { status: e.status, errorCode: e.errorCode, message: e.message };
  }
}

async function register(userSchemaJson) {
  const subject = 'users_created-value';
  const topic = 'users_created';
  const schema = JSON.parse(userSchemaJson);
  const info = { schemaType: 'AVRO', schema: JSON.stringify(schema) };
  const id = await client.register(subject, info);
  const again = await client.register(subject, info);
  const byId = await client.getBySubjectAndId(subject, id);
  const latest = await client.getLatestSchemaMetadata(subject);
  const v1 = await client.getSchemaMetadata(subject, 1);
  const lookedUp = await client.getId(subject, info);
  const versions = await client.getAllVersions(subject);
  const subjects = await client.getAllSubjects();
  const level = await client.getCompatibility(subject).catch(() => null);
  const defaultLevel = await client.getDefaultCompatibility();

  const optionalField = withField(schema, { name: 'nickname', type: ['null', 'string'], default: null });
  const requiredField = withField(schema, { name: 'shoe_size', type: 'int' });
  const compatible = await client.testSubjectCompatibility(subject, {
    schemaType: 'AVRO',
    schema: JSON.stringify(optionalField),
  });
  const incompatible = await client.testSubjectCompatibility(subject, {
    schemaType: 'AVRO',
    schema: JSON.stringify(requiredField),
  });
  const refused = await refusal(
    client.register(subject, { schemaType: 'AVRO', schema: JSON.stringify(requiredField) })
  );

  const serializer = new AvroSerializer(client, SerdeType.VALUE, { useLatestVersion: true });
  const user = {
    id: 'a1b2c3',
    first_name: 'Ada',
    last_name: 'Lovelace',
    age: 36,
    email: 'ada@example.org',
  };
  const payload = await serializer.serialize(topic, user);
  return {
    id,
    again,
    byId: JSON.parse(byId.schema),
    latest: { id: latest.id, version: latest.version, subject: latest.subject },
    v1: { id: v1.id, version: v1.version },
    lookedUp: lookedUp,
    versions,
    subjects,
    level,
    defaultLevel,
    compatible,
    incompatible,
    refused,
    payload: Buffer.from(payload).toString('base64'),
  };
}

async function deserialize(topic, base64) {
  const deserializer = new AvroDeserializer(client, SerdeType.VALUE, {});
  const record = await deserializer.deserialize(topic, Buffer.from(base64, 'base64'));
  return { record };
}

(async () => {
  let result;
  if (command === 'register') result = await register(args[0]);
  else if (command === 'deserialize') result = await deserialize(args[0], args[1]);
  else throw new Error('unknown command ' + command);
  process.stdout.write(JSON.stringify(result) + '\n');
})().catch((e) => {
  process.stderr.write((e && e.stack) || String(e));
  process.stderr.write('\n');
  process.exit(1);
});
