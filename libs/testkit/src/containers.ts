import { GenericContainer, Network, StartedTestContainer, Wait } from 'testcontainers';
import type { StackEnv } from '../../../tools/stack/src/stack';

/**
 * The same three servers as the stack launcher, as containers, for machines with a Docker engine.
 * Started once per test run by the jest global setup; Ryuk removes them when the run ends.
 */
export async function startContainers(): Promise<{ env: StackEnv; containers: StartedTestContainer[] }> {
  const network = await new Network().start();
  const postgres = await new GenericContainer('postgres:15')
    .withNetwork(network)
    .withNetworkAliases('postgres')
    .withEnvironment({ POSTGRES_USER: 'tributary', POSTGRES_PASSWORD: 'tributary', POSTGRES_DB: 'tributary' })
    .withExposedPorts(5432)
    .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
    .start();
  await postgres.exec(['psql', '-U', 'tributary', '-c', 'CREATE DATABASE apicurio']);
  const kafka = await new GenericContainer('apache/kafka:3.9.1')
    .withExposedPorts({ container: 9092, host: 9092 })
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: 'PLAINTEXT://0.0.0.0:9092,CONTROLLER://0.0.0.0:9093',
      KAFKA_ADVERTISED_LISTENERS: 'PLAINTEXT://127.0.0.1:9092',
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
    })
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .start();
  const registry = await new GenericContainer('apicurio/apicurio-registry:3.0.9')
    .withNetwork(network)
    .withEnvironment({
      APICURIO_STORAGE_KIND: 'sql',
      APICURIO_STORAGE_SQL_KIND: 'postgresql',
      APICURIO_DATASOURCE_URL: 'jdbc:postgresql://postgres:5432/apicurio',
      APICURIO_DATASOURCE_USERNAME: 'tributary',
      APICURIO_DATASOURCE_PASSWORD: 'tributary',
    })
    .withExposedPorts(8080)
    .withWaitStrategy(Wait.forHttp('/apis/ccompat/v7/subjects', 8080))
    .start();
  return {
    env: {
      KAFKA_BROKERS: `127.0.0.1:${kafka.getMappedPort(9092)}`,
      SCHEMA_REGISTRY_URL: `http://${registry.getHost()}:${registry.getMappedPort(8080)}/apis/ccompat/v7`,
      DATABASE_URL: `postgres://tributary:tributary@${postgres.getHost()}:${postgres.getMappedPort(5432)}/tributary`,
    },
    containers: [postgres, kafka, registry],
  };
}
