import { checkFaultSpecs, unfiredFaults } from '../../../cli/fault-options';

describe('--fail checks', () => {
  it.each([
    [['CreateRule', 'CreateRule:3']],
    [['CreateRule:2', 'CreateRule:3']],
    [['ModifyListener:timeout', 'ModifyListener']],
  ])('refuses %j: one operation given two ways', (specs) => {
    // Act, Assess
    expect(() => checkFaultSpecs(specs)).toThrow(expect.objectContaining({ name: 'UsageError', message: expect.stringContaining(`already says how ${specs[0]?.split(':')[0]} fails`) }));
  });

  it('warns about a spec given twice, and accepts different operations', () => {
    // Act, Assess
    expect(checkFaultSpecs(['CreateRule', 'CreateService:2', 'CreateRule'])).toEqual(['--fail CreateRule is given twice: once is enough']);
  });

  it('names each fault whose operation was not called, once', () => {
    // Act
    const warnings = unfiredFaults(['CreateRule', 'PutItem:2', 'PutItem:2'], [{ operation: 'CreateRule' }, { operation: 'DescribeServices' }]);

    // Assess
    expect(warnings).toEqual(['--fail PutItem:2 never fired: nothing called PutItem in this run']);
  });
});
