/** ELBv2 operation table: operation name -> handler over the shared emulator state. */
import type * as Sdk from '@aws-sdk/client-elastic-load-balancing-v2';
import type { EmulatorContext } from '../context';
import type { Handlers } from '../handlers';
import { createListener, createLoadBalancer, deleteListener, describeListeners, describeLoadBalancers, modifyListener } from './listeners';
import { createRule, deleteRule, describeRules, modifyRule, setRulePriorities } from './rules';
import {
  createTargetGroup, deleteTargetGroup, describeAttributes, describeTargetGroups, modifyAttributes, modifyTargetGroup,
} from './target-groups';
import { addTags, deregisterTargets, describeTags, describeTargetHealth, registerTargets } from './targets';

export function elbv2Handlers(ctx: EmulatorContext): Handlers {
  return {
    CreateLoadBalancer: (input: Sdk.CreateLoadBalancerCommandInput) => createLoadBalancer(ctx, input),
    DescribeLoadBalancers: (input: Sdk.DescribeLoadBalancersCommandInput) => describeLoadBalancers(ctx, input),
    CreateTargetGroup: (input: Sdk.CreateTargetGroupCommandInput) => createTargetGroup(ctx, input),
    DescribeTargetGroups: (input: Sdk.DescribeTargetGroupsCommandInput) => describeTargetGroups(ctx, input),
    ModifyTargetGroup: (input: Sdk.ModifyTargetGroupCommandInput) => modifyTargetGroup(ctx, input),
    DescribeTargetGroupAttributes: (input: Sdk.DescribeTargetGroupAttributesCommandInput) => ({ Attributes: describeAttributes(ctx, input.TargetGroupArn) }),
    ModifyTargetGroupAttributes: (input: Sdk.ModifyTargetGroupAttributesCommandInput) => ({ Attributes: modifyAttributes(ctx, input.TargetGroupArn, input.Attributes ?? []) }),
    DeleteTargetGroup: (input: Sdk.DeleteTargetGroupCommandInput) => { deleteTargetGroup(ctx, input.TargetGroupArn); return {}; },
    CreateListener: (input: Sdk.CreateListenerCommandInput) => createListener(ctx, input),
    DescribeListeners: (input: Sdk.DescribeListenersCommandInput) => describeListeners(ctx, input),
    ModifyListener: (input: Sdk.ModifyListenerCommandInput) => modifyListener(ctx, input),
    DeleteListener: (input: Sdk.DeleteListenerCommandInput) => { deleteListener(ctx, input.ListenerArn); return {}; },
    CreateRule: (input: Sdk.CreateRuleCommandInput) => createRule(ctx, input),
    DescribeRules: (input: Sdk.DescribeRulesCommandInput) => describeRules(ctx, input),
    ModifyRule: (input: Sdk.ModifyRuleCommandInput) => modifyRule(ctx, input),
    DeleteRule: (input: Sdk.DeleteRuleCommandInput) => { deleteRule(ctx, input.RuleArn); return {}; },
    SetRulePriorities: (input: Sdk.SetRulePrioritiesCommandInput) => setRulePriorities(ctx, input),
    RegisterTargets: (input: Sdk.RegisterTargetsCommandInput) => registerTargets(ctx, input),
    DeregisterTargets: (input: Sdk.DeregisterTargetsCommandInput) => deregisterTargets(ctx, input),
    DescribeTargetHealth: (input: Sdk.DescribeTargetHealthCommandInput) => describeTargetHealth(ctx, input),
    AddTags: (input: Sdk.AddTagsCommandInput) => addTags(ctx, input.ResourceArns, input.Tags),
    DescribeTags: (input: Sdk.DescribeTagsCommandInput) => describeTags(ctx, input.ResourceArns),
  };
}
