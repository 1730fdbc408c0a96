/** Seeded networking: the emulator has no EC2 API (client-ec2 is not a dependency); tests and seeds create VPCs directly. */
import { nextHex, type EmulatorContext } from './context';

export function createVpc(ctx: EmulatorContext, cidr = '10.0.0.0/16'): string {
  const vpcId = `vpc-${nextHex(ctx, 17)}`;
  ctx.vpcs.set(vpcId, { cidr });
  return vpcId;
}

export function createSubnet(ctx: EmulatorContext, vpcId: string): string {
  if (!ctx.vpcs.has(vpcId)) throw new Error(`create subnet in ${vpcId}: the VPC does not exist`);
  const subnetId = `subnet-${nextHex(ctx, 17)}`;
  ctx.subnets.set(subnetId, { vpcId });
  return subnetId;
}
