#!/usr/bin/env python3
"""Creates the AWS resources that environments/*/aws/ declares, as declared, in moto_server.

For the local run, and for the tests that need AWS as declared: the daemon then finds AWS as Git
says, and a change made by hand (with boto3 against the same endpoint) shows as drift. Each
Secrets Manager secret holds local-only values under every property the bundled ExternalSecrets
read, so the External Secrets Operator makes their Secrets. Run with the moto virtualenv's python
(it has boto3 and PyYAML):
  seed-aws.py ENDPOINT [ENVIRONMENTS_DIR [KIND]]      KIND: only the resources of that kind
"""
import glob
import json
import os
import sys

import boto3
import yaml


# what the workloads, the migration hook, the backups and the image pulls read; none of it is real
SECRET_VALUES = json.dumps({
    "database-url": "postgresql://treum:local-only-password@localhost:5432/treum",
    "redis-url": "redis://localhost:6379/0",
    "dockerconfigjson": json.dumps({"auths": {"registry.treum.ai": {"auth": "bG9jYWw6bG9jYWw="}}}),
})


def client(service, endpoint, region):
    return boto3.client(service, endpoint_url=endpoint, region_name=region,
                        aws_access_key_id="local", aws_secret_access_key="local")


def create(kind, name, spec, endpoint, region, environment):
    c = lambda service: client(service, endpoint, region)  # noqa: E731
    if kind == "RdsInstance":
        c("rds").create_db_instance(
            DBInstanceIdentifier=name, Engine=spec.get("engine", "postgres"), EngineVersion=spec.get("engineVersion", ""),
            DBInstanceClass=spec["instanceClass"], AllocatedStorage=spec.get("allocatedStorage", 20),
            MultiAZ=spec.get("multiAZ", False), BackupRetentionPeriod=spec.get("backupRetentionPeriod", 1),
            DeletionProtection=spec.get("deletionProtection", False), StorageEncrypted=spec.get("storageEncrypted", False),
            MasterUsername="treum", MasterUserPassword="local-only-password")
    elif kind == "ElastiCacheReplicationGroup":
        nodes = spec.get("numCacheClusters", 1)
        cache = c("elasticache")
        # moto sizes a group by ReplicasPerNodeGroup and lists no members as cache clusters; AWS does both
        cache.create_replication_group(
            ReplicationGroupId=name, ReplicationGroupDescription=name, Engine="redis",
            EngineVersion=spec.get("engineVersion", "7.0"), CacheNodeType=spec["nodeType"], NumCacheClusters=nodes,
            ReplicasPerNodeGroup=nodes - 1, AutomaticFailoverEnabled=spec.get("automaticFailover", False))
        for i in range(1, nodes + 1):
            cache.create_cache_cluster(CacheClusterId=f"{name}-{i:03d}", ReplicationGroupId=name, Engine="redis",
                                       EngineVersion=spec.get("engineVersion", "7.0"), CacheNodeType=spec["nodeType"])
    elif kind == "S3Bucket":
        s3 = c("s3")
        # S3 wants the region said again for a bucket anywhere but us-east-1
        s3.create_bucket(Bucket=name, **({} if region == "us-east-1" else
                                         {"CreateBucketConfiguration": {"LocationConstraint": region}}))
        s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={
            "Status": "Enabled" if spec.get("versioning") else "Suspended"})
        if "encryption" in spec:
            s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration={"Rules": [
                {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": spec["encryption"]}}]})
        if "publicAccessBlock" in spec:
            block = spec["publicAccessBlock"]
            s3.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration={
                key[0].upper() + key[1:]: value for key, value in block.items()})
        if spec.get("lifecycleRules"):
            s3.put_bucket_lifecycle_configuration(Bucket=name, LifecycleConfiguration={"Rules": [
                {"ID": r["id"], "Filter": {"Prefix": r.get("prefix", "")},
                 "Status": "Disabled" if r.get("enabled") is False else "Enabled",
                 **({"Expiration": {"Days": r["expirationDays"]}} if "expirationDays" in r else {}),
                 **({"NoncurrentVersionExpiration": {"NoncurrentDays": r["noncurrentExpirationDays"]}}
                    if "noncurrentExpirationDays" in r else {})}
                for r in spec["lifecycleRules"]]})
    elif kind == "Route53RecordSet":
        route53 = c("route53")
        zones = [z for z in route53.list_hosted_zones()["HostedZones"] if z["Name"] == spec["zone"] + "."]
        zone = zones[0]["Id"] if zones else route53.create_hosted_zone(
            Name=spec["zone"], CallerReference=spec["zone"])["HostedZone"]["Id"]
        name = spec["name"] if spec["name"].endswith(".") else spec["name"] + "."
        # the record and the TXT record that marks it as the environment's, as the daemon writes them
        route53.change_resource_record_sets(HostedZoneId=zone, ChangeBatch={"Changes": [{
            "Action": "UPSERT", "ResourceRecordSet": {
                "Name": name, "Type": spec["type"], "TTL": spec.get("ttl", 300),
                "ResourceRecords": [{"Value": v} for v in spec.get("values", [])]}}, {
            "Action": "UPSERT", "ResourceRecordSet": {
                "Name": "_treum-gitops." + name, "Type": "TXT", "TTL": 300,
                "ResourceRecords": [{"Value": f'"heritage=treum-gitops,environment={environment}"'}]}}]})
    elif kind == "SecretsManagerSecret":
        secrets = c("secretsmanager")
        try:
            secrets.create_secret(Name=spec["secretName"], Description=spec.get("description", ""),
                                  SecretString=SECRET_VALUES)
        except secrets.exceptions.ResourceExistsException:
            secrets.put_secret_value(SecretId=spec["secretName"], SecretString=SECRET_VALUES)
    elif kind == "EksNodegroup":
        eks = c("eks")
        if spec["cluster"] not in eks.list_clusters()["clusters"]:
            eks.create_cluster(name=spec["cluster"], roleArn="arn:aws:iam::123456789012:role/eks",
                               resourcesVpcConfig={"subnetIds": ["subnet-local"]})
        eks.create_nodegroup(clusterName=spec["cluster"], nodegroupName=name, subnets=["subnet-local"],
                             nodeRole="arn:aws:iam::123456789012:role/node", instanceTypes=spec.get("instanceTypes", []),
                             scalingConfig={"minSize": spec["minSize"], "maxSize": spec["maxSize"],
                                            "desiredSize": spec["desiredSize"]})


def main():
    endpoint = sys.argv[1]
    environments = sys.argv[2] if len(sys.argv) > 2 else "environments"
    only = sys.argv[3] if len(sys.argv) > 3 else None
    for env_file in sorted(glob.glob(os.path.join(environments, "*", "environment.yaml"))):
        folder = os.path.dirname(env_file)
        region = (yaml.safe_load(open(env_file))["spec"].get("aws") or {}).get("region", "us-east-1")
        for path in sorted(glob.glob(os.path.join(folder, "aws", "*.yaml"))):
            for doc in yaml.safe_load_all(open(path)):
                if doc and only in (None, doc["kind"]):
                    create(doc["kind"], doc["metadata"]["name"], doc.get("spec", {}), endpoint, region,
                           os.path.basename(folder))
        print(f"[seed-aws] {os.path.basename(folder)}: declared AWS resources created in {endpoint} ({region})")


if __name__ == "__main__":
    main()
