console.log('projector');
