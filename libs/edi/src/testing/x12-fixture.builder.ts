/**
 * Builds small, correct interchanges for specs, the corpus self-check and the CLI demo: counts and
 * control numbers are computed, so a fixture only lists its body segments.
 */
export interface FixtureSet {
  id: string;
  control?: string;
  implementationRef?: string;
  body: string[];
}

export interface FixtureGroup {
  functionalId: string;
  control?: number;
  version?: string;
  sender?: string;
  receiver?: string;
  sets: FixtureSet[];
}

export interface FixtureInterchange {
  control?: number;
  controlVersion?: string;
  senderQualifier?: string;
  senderId?: string;
  receiverQualifier?: string;
  receiverId?: string;
  ackRequested?: '0' | '1';
  usage?: 'P' | 'T';
  element?: string;
  component?: string;
  repetition?: string;
  terminator?: string;
  lineBreak?: string;
  groups: FixtureGroup[];
}

export function buildFixture(spec: FixtureInterchange): string {
  const e = spec.element ?? '*';
  const t = (spec.terminator ?? '~') + (spec.lineBreak ?? '\n');
  const version = spec.controlVersion ?? '00401';
  const control = spec.control ?? 1;
  const seg = (text: string): string => text.replace(/\*/g, e) + t;
  const isa = [
    'ISA', '00', ' '.repeat(10), '00', ' '.repeat(10),
    spec.senderQualifier ?? 'ZZ', (spec.senderId ?? 'SUPPLIER').padEnd(15), spec.receiverQualifier ?? 'ZZ', (spec.receiverId ?? 'CROSSDOCK').padEnd(15),
    '261120', '1200', version >= '00402' ? (spec.repetition ?? '^') : 'U', version, String(control).padStart(9, '0'),
    spec.ackRequested ?? '0', spec.usage ?? 'P', spec.component ?? '>',
  ].join(e);
  let out = isa + t;
  spec.groups.forEach((group, g) => {
    const gs06 = group.control ?? g + 1;
    const gsVersion = group.version ?? (version >= '00501' ? '005010' : '004010');
    out += seg(`GS*${group.functionalId}*${group.sender ?? 'SUPPLIER'}*${group.receiver ?? 'CROSSDOCK'}*20261120*1200*${gs06}*X*${gsVersion}`);
    group.sets.forEach((set, s) => {
      const st02 = set.control ?? String(s + 1).padStart(4, '0');
      out += seg(`ST*${set.id}*${st02}${set.implementationRef ? `*${set.implementationRef}` : ''}`);
      for (const line of set.body) out += seg(line);
      out += seg(`SE*${set.body.length + 2}*${st02}`);
    });
    out += seg(`GE*${group.sets.length}*${gs06}`);
  });
  out += seg(`IEA*${spec.groups.length}*${String(control).padStart(9, '0')}`);
  return out;
}

/** Valid bodies for every guided set, written for these tests (no public sample needed). */
export const SAMPLE_BODIES: Record<string, { functionalId: string; body: string[] }> = {
  '850': {
    functionalId: 'PO',
    body: [
      'BEG*00*SA*PO-1001**20261120',
      'DTM*002*20261201',
      'N1*ST*CROSSDOCK WH1*92*WH1',
      'PO1*1*120*EA*2.5**BP*SKU-1*VN*V-1',
      'PID*F****WIDGET',
      'PO1*2*24*CA*10**BP*SKU-2',
      'CTT*2',
    ],
  },
  '855': {
    functionalId: 'PR',
    body: ['BAK*00*AC*PO-1001*20261120', 'N1*ST*CROSSDOCK WH1*92*WH1', 'PO1*1*120*EA*2.5**BP*SKU-1', 'ACK*IA*120*EA*068*20261130', 'PO1*2*24*CA*10**BP*SKU-2', 'ACK*IQ*20*CA*068*20261203', 'CTT*2'],
  },
  '856': {
    functionalId: 'SH',
    body: [
      'BSN*00*SHP-77*20261125*1030',
      'HL*1**S',
      'TD1*CTN*3',
      'DTM*011*20261125',
      'DTM*017*20261128',
      'N1*ST*CROSSDOCK WH1*92*WH1',
      'HL*2*1*O',
      'PRF*PO-1001',
      'HL*3*2*I',
      'LIN*1*BP*SKU-1',
      'SN1**120*EA',
      'HL*4*2*I',
      'LIN*2*BP*SKU-2',
      'SN1**20*CA',
      'CTT*4',
    ],
  },
  '860': { functionalId: 'PC', body: ['BCH*04*SA*PO-1001***20261121', 'POC*1*QI*130*10*EA*2.5**BP*SKU-1'] },
  '810': {
    functionalId: 'IN',
    body: ['BIG*20261126*INV-9*20261120*PO-1001', 'N1*RE*SUPPLIER INC*92*SUP1', 'IT1*1*120*EA*2.6**BP*SKU-1', 'IT1*2*20*CA*10**BP*SKU-2', 'TDS*51200', 'CTT*2'],
  },
  '846': {
    functionalId: 'IB',
    body: ['BIA*00*MM*INV-ADV-1*20261120', 'N1*WH*SUPPLIER DC*92*SDC1', 'LIN**BP*SKU-1*VN*V-1', 'QTY*33*500*EA', 'LIN**BP*SKU-2', 'QTY*33*12*EA', 'CTT*2'],
  },
  '852': {
    functionalId: 'PD',
    body: ['XQ*H*20261101*20261107', 'N1*ST*STORE 9*92*ST9', 'LIN**BP*SKU-1', 'ZA*QS*14*EA*002*20261107', 'CTT*1'],
  },
  '832': { functionalId: 'SC', body: ['BCT*PC*CAT-1', 'LIN**BP*SKU-1', 'PID*F****WIDGET', 'CTP**RES*2.5', 'CTT*1'] },
  '940': {
    functionalId: 'OW',
    body: ['W05*N*SO-55*PO-C-9', 'N1*ST*CUSTOMER 9*92*C9', 'W66*PP*M', 'LX*1', 'W01*10*EA**BP*SKU-1', 'W76*10'],
  },
  '943': {
    functionalId: 'AR',
    body: ['W06*N*TR-5*20261120*SHP-5', 'N1*WH*WAREHOUSE 1*92*WH1', 'W27*M', 'W04*40*EA**BP*SKU-1', 'W03*40'],
  },
  '944': {
    functionalId: 'RE',
    body: ['W17*F*20261127*RCV-31*PO-1001', 'N1*WH*WAREHOUSE 1*92*WH1', 'LX*1', 'W07*118*EA**BP*SKU-1', 'LX*2', 'W07*20*CA**BP*SKU-2', 'W14*138'],
  },
  '945': {
    functionalId: 'SW',
    body: ['W06*F*SO-55*20261122*SHP-55', 'N1*ST*CUSTOMER 9*92*C9', 'N1*WH*WAREHOUSE 1*92*WH1', 'W27*M', 'LX*1', 'W12*CC*10*10**EA**BP*SKU-1', 'W03*10'],
  },
  '947': {
    functionalId: 'AW',
    body: ['W15*20261121*ADJ-4', 'N1*WH*WAREHOUSE 1*92*WH1', 'W19*01*-3*EA**BP*SKU-1'],
  },
  '997': { functionalId: 'FA', body: ['AK1*PO*17', 'AK2*850*0001', 'AK5*A', 'AK9*A*1*1*1'] },
  '999': { functionalId: 'FA', body: ['AK1*PO*17*005010', 'AK2*850*0001', 'IK5*A', 'AK9*A*1*1*1'] },
};
